// Search results mark the words that matched: the API sends a title and a
// snippet as HTML, escaped, whose only tags are <mark>. They are read here
// into plain pieces rather than put into the page as HTML, so that nothing
// else in them could ever become markup.

export interface Piece {
  text: string;
  marked: boolean;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** The pieces of a highlighted text, in order; any tag but <mark> is dropped. */
export function markedPieces(html: string): Piece[] {
  const pieces: Piece[] = [];
  let marked = false;
  for (const part of html.split(/(<\/?[a-z][^>]*>)/i)) {
    const tag = /^<(\/?)([a-z]+)/i.exec(part);
    if (tag) {
      if (tag[2]!.toLowerCase() === 'mark') marked = tag[1] === '';
      continue;
    }
    const text = unescape(part);
    if (text) pieces.push({ text, marked });
  }
  return pieces;
}
