// The files each kind of media accepts, as the server does
// (internal/media/types.go): the content type to declare, the names
// browsers give it, and the extensions to guess it from when a browser
// gives none.

export type MediaKind = 'image' | 'audio' | 'video' | 'pdf';

interface FileType {
  contentType: string;
  kind: MediaKind;
  /** What people call it: "JPEG", "MP3". */
  label: string;
  extensions: string[];
  aliases: string[];
}

const fileTypes: FileType[] = [
  { contentType: 'image/jpeg', kind: 'image', label: 'JPEG', extensions: ['.jpg', '.jpeg'], aliases: ['image/jpg', 'image/pjpeg'] },
  { contentType: 'image/png', kind: 'image', label: 'PNG', extensions: ['.png'], aliases: [] },
  { contentType: 'image/gif', kind: 'image', label: 'GIF', extensions: ['.gif'], aliases: [] },
  { contentType: 'image/webp', kind: 'image', label: 'WebP', extensions: ['.webp'], aliases: [] },
  { contentType: 'audio/mpeg', kind: 'audio', label: 'MP3', extensions: ['.mp3'], aliases: ['audio/mp3', 'audio/mpeg3'] },
  {
    contentType: 'audio/mp4',
    kind: 'audio',
    label: 'M4A',
    extensions: ['.m4a', '.aac'],
    aliases: ['audio/x-m4a', 'audio/m4a', 'audio/aac', 'audio/x-aac'],
  },
  {
    contentType: 'audio/ogg',
    kind: 'audio',
    label: 'Ogg',
    extensions: ['.ogg', '.oga', '.opus'],
    aliases: ['audio/opus', 'audio/vorbis', 'application/ogg'],
  },
  { contentType: 'audio/wav', kind: 'audio', label: 'WAV', extensions: ['.wav'], aliases: ['audio/wave', 'audio/x-wav', 'audio/vnd.wave'] },
  { contentType: 'video/mp4', kind: 'video', label: 'MP4', extensions: ['.mp4', '.m4v'], aliases: ['video/x-m4v'] },
  { contentType: 'video/webm', kind: 'video', label: 'WebM', extensions: ['.webm'], aliases: [] },
  { contentType: 'video/quicktime', kind: 'video', label: 'MOV', extensions: ['.mov'], aliases: [] },
  { contentType: 'application/pdf', kind: 'pdf', label: 'PDF', extensions: ['.pdf'], aliases: ['application/x-pdf'] },
];

/** The accept attribute of a file input for kind: its content types and extensions. */
export function acceptOf(kind: MediaKind): string {
  const types = fileTypes.filter((t) => t.kind === kind);
  return [...types.map((t) => t.contentType), ...types.flatMap((t) => t.extensions)].join(',');
}

/** The formats kind accepts, for people: "JPEG, PNG, GIF, WebP". */
export function formatsOf(kind: MediaKind): string {
  return fileTypes
    .filter((t) => t.kind === kind)
    .map((t) => t.label)
    .join(', ');
}

/** What a file is, as far as its declared type (or else its name) tells. */
export type FileCheck =
  | { ok: true; contentType: string }
  /** A type media accepts, but of another kind (a PDF chosen for an image). */
  | { ok: false; reason: 'kind'; found: MediaKind }
  /** A type media does not accept at all. */
  | { ok: false; reason: 'type'; found: string }
  | { ok: false; reason: 'empty' };

function byType(type: string): FileType | undefined {
  return fileTypes.find((t) => t.contentType === type || t.aliases.includes(type));
}

function byName(name: string): FileType | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = name.slice(dot).toLowerCase();
  return fileTypes.find((t) => t.extensions.includes(ext));
}

/**
 * Checks a chosen file against kind before anything is sent, and gives the
 * content type to declare. Browsers give no type (or a generic one) for
 * some files (Opus, M4A on some systems): then the extension decides, and
 * the server checks the bytes themselves once they arrive.
 */
export function checkFile(file: { name: string; type: string; size: number }, kind: MediaKind): FileCheck {
  if (file.size < 1) return { ok: false, reason: 'empty' };
  const declared = file.type.toLowerCase().split(';')[0]!.trim();
  const generic = declared === '' || declared === 'application/octet-stream';
  const type = generic ? byName(file.name) : byType(declared);
  if (!type) return { ok: false, reason: 'type', found: generic ? file.name.slice(file.name.lastIndexOf('.') + 1) || file.name : declared };
  if (type.kind !== kind) return { ok: false, reason: 'kind', found: type.kind };
  return { ok: true, contentType: type.contentType };
}
