import { describe, expect, it } from 'vitest';
import { markedPieces } from './marked-text';

describe('highlighted search matches', () => {
  it('marks the matched words', () => {
    expect(markedPieces('A Week of <mark>Mettā</mark> Practice')).toEqual([
      { text: 'A Week of ', marked: false },
      { text: 'Mettā', marked: true },
      { text: ' Practice', marked: false },
    ]);
  });

  it('shows escaped characters as the characters they are', () => {
    expect(markedPieces('Tea &amp; <mark>zen</mark>: &lt;b&gt; &#34;sit&#34; &#39;now&#39; &#x1F64F;')).toEqual([
      { text: 'Tea & ', marked: false },
      { text: 'zen', marked: true },
      { text: ': <b> "sit" \'now\' 🙏', marked: false },
    ]);
  });

  it('never turns anything else into markup', () => {
    const pieces = markedPieces('<img src=x onerror=alert(1)><mark>sīla</mark><script>x</script>');
    expect(pieces).toEqual([
      { text: 'sīla', marked: true },
      { text: 'x', marked: false },
    ]);
  });

  it('reads plain text as one unmarked piece', () => {
    expect(markedPieces('Just sitting')).toEqual([{ text: 'Just sitting', marked: false }]);
    expect(markedPieces('')).toEqual([]);
  });
});
