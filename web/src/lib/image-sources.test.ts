import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { imageSources } from './image-sources';

type Media = components['schemas']['MediaBody'];

const variant = (width: number, format: 'webp' | 'jpeg') => ({
  name: `${width}.${format}`,
  width,
  height: width / 2,
  content_type: `image/${format}`,
  size: 1000,
  url: `https://cdn.example/c/${width}.${format}`,
});

function cover(over: Partial<Media> = {}): Media {
  const variants = [1280, 320, 640].flatMap((w) => [variant(w, 'webp'), variant(w, 'jpeg')]);
  return {
    id: 'm1',
    kind: 'image',
    filename: 'cover.png',
    content_type: 'image/png',
    size: 5000,
    status: 'ready',
    public: true,
    width: 1600,
    height: 800,
    url: 'https://cdn.example/c/original.png',
    variants,
    srcset: {
      webp: 'https://cdn.example/c/320.webp 320w, https://cdn.example/c/640.webp 640w, https://cdn.example/c/1280.webp 1280w',
      jpeg: 'https://cdn.example/c/320.jpeg 320w, https://cdn.example/c/640.jpeg 640w, https://cdn.example/c/1280.jpeg 1280w',
    },
    created_at: '2025-01-01T00:00:00Z',
    ...over,
  };
}

describe('the sources of an image', () => {
  it('offers WebP and JPEG at every width, with a 640 px JPEG for old browsers', () => {
    expect(imageSources(cover())).toEqual({
      webp: cover().srcset!.webp,
      jpeg: cover().srcset!.jpeg,
      src: 'https://cdn.example/c/640.jpeg',
      width: 1600,
      height: 800,
    });
  });

  it('falls back to the widest JPEG of a small image', () => {
    const small = cover({ width: 500, height: 250, variants: [variant(320, 'jpeg'), variant(320, 'webp')] });
    expect(imageSources(small)?.src).toBe('https://cdn.example/c/320.jpeg');
  });

  it('shows the file itself while the variants are being made', () => {
    const fresh = cover({ status: 'processing', variants: [], srcset: undefined, width: undefined, height: undefined });
    expect(imageSources(fresh)).toEqual({ src: 'https://cdn.example/c/original.png', webp: undefined, jpeg: undefined });
  });

  it('shows nothing for no image, a failed one, or media that is not an image', () => {
    expect(imageSources(undefined)).toBeNull();
    expect(imageSources(cover({ status: 'failed' }))).toBeNull();
    expect(imageSources(cover({ kind: 'audio' }))).toBeNull();
    expect(imageSources(cover({ variants: [], url: undefined }))).toBeNull();
  });
});
