// What an <img> of an uploaded image needs: the API gives each image
// variants 320, 640 and 1280 pixels wide (none wider than the original) in
// WebP and JPEG, and a srcset per format; the browser picks the width its
// layout and screen need.
import type { components } from '../api/schema';

type Media = components['schemas']['MediaBody'];

export interface ImageSources {
  /** srcset of the WebP variants, for a <source type="image/webp">. */
  webp?: string;
  /** srcset of the JPEG variants, for the <img> itself. */
  jpeg?: string;
  /** The <img>'s src, for browsers without srcset: a JPEG 640 wide or the nearest. */
  src: string;
  /** The image's proportions, so the page keeps its room before it arrives. */
  width?: number;
  height?: number;
}

/** Where to fetch media from as an image, or null when it is not one that can be shown yet. */
export function imageSources(media: Media | undefined): ImageSources | null {
  if (!media || media.kind !== 'image' || media.status === 'failed') return null;
  const jpegs = (media.variants ?? []).filter((v) => v.content_type === 'image/jpeg').sort((a, b) => a.width - b.width);
  const fallback = jpegs.find((v) => v.width >= 640) ?? jpegs.at(-1);
  const src = fallback?.url ?? media.url;
  if (!src) return null;
  return {
    webp: media.srcset?.webp || undefined,
    jpeg: media.srcset?.jpeg || undefined,
    src,
    width: media.width || fallback?.width,
    height: media.height || fallback?.height,
  };
}
