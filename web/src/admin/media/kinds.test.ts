import { describe, expect, it } from 'vitest';
import { acceptOf, checkFile, formatsOf } from './kinds';

describe('checkFile', () => {
  it('declares the type the server names, from the names browsers use', () => {
    expect(checkFile({ name: 'talk.m4a', type: 'audio/x-m4a', size: 10 }, 'audio')).toEqual({ ok: true, contentType: 'audio/mp4' });
    expect(checkFile({ name: 'a.jpg', type: 'image/jpeg', size: 10 }, 'image')).toEqual({ ok: true, contentType: 'image/jpeg' });
  });
  it('goes by the extension when the browser gives no type', () => {
    expect(checkFile({ name: 'chant.OPUS', type: '', size: 10 }, 'audio')).toEqual({ ok: true, contentType: 'audio/ogg' });
    expect(checkFile({ name: 'sutta.pdf', type: 'application/octet-stream', size: 10 }, 'pdf')).toEqual({
      ok: true,
      contentType: 'application/pdf',
    });
  });
  it('refuses a file of another kind, a type media does not take, and an empty file', () => {
    expect(checkFile({ name: 'walk.mp4', type: 'video/mp4', size: 10 }, 'audio')).toEqual({ ok: false, reason: 'kind', found: 'video' });
    expect(checkFile({ name: 'pic.heic', type: 'image/heic', size: 10 }, 'image')).toEqual({ ok: false, reason: 'type', found: 'image/heic' });
    expect(checkFile({ name: 'notes.txt', type: '', size: 10 }, 'pdf')).toEqual({ ok: false, reason: 'type', found: 'txt' });
    expect(checkFile({ name: 'a.png', type: 'image/png', size: 0 }, 'image')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('the file input', () => {
  it('offers only the types of its kind', () => {
    expect(acceptOf('image')).toBe('image/jpeg,image/png,image/gif,image/webp,.jpg,.jpeg,.png,.gif,.webp');
    expect(formatsOf('audio')).toBe('MP3, M4A, Ogg, WAV');
  });
});
