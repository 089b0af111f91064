// Long texts as the server rendered and sanitised them, set for reading:
// the person's reading size (Settings), a serif with the diacritics of Pali
// and Sanskrit (ā ī ū ṃ ṅ ñ ṭ ḍ ṇ ḷ ś ṣ), and room between lines.

const prose = [
  'font-serif text-pretty',
  '[&_p]:my-4 [&_p:first-child]:mt-0 [&_p:last-child]:mb-0',
  '[&_h2]:mt-8 [&_h2]:mb-3 [&_h2]:text-[1.25em] [&_h2]:leading-snug [&_h2:first-child]:mt-0',
  '[&_h3]:mt-6 [&_h3]:mb-2 [&_h3]:font-semibold',
  '[&_ul]:my-4 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-4 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1.5',
  '[&_blockquote]:my-5 [&_blockquote]:border-l-2 [&_blockquote]:border-accent/40 [&_blockquote]:pl-4 [&_blockquote]:italic',
  '[&_a]:text-accent [&_a]:underline [&_a]:underline-offset-4',
  '[&_hr]:my-8 [&_hr]:border-ink/10',
].join(' ');

// Reading texts follow the size the reader chose; short ones beside them
// (a bio, a note) keep the body's.
const sizes = { reading: 'text-reading', body: 'text-base leading-relaxed' };

interface ProseProps {
  html: string;
  lang?: string;
  size?: keyof typeof sizes;
  className?: string;
}

/** HTML the server sanitised (a description, a day's reading, a bio) set for reading. */
export function Prose({ html, lang, size = 'reading', className = '' }: ProseProps) {
  return <div lang={lang} className={`${prose} ${sizes[size]} ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
