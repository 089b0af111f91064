import type { components } from '../api/schema';
import { imageSources } from '../lib/image-sources';

type Media = components['schemas']['MediaBody'];

interface MediaImageProps {
  media: Media | undefined;
  alt: string;
  /** How wide the image is drawn, for the browser to pick a variant: "(min-width: 640px) 50vw, 100vw". */
  sizes: string;
  className?: string;
  /** Above the fold (a page's cover): fetched at once, first. Otherwise only when scrolled near. */
  priority?: boolean;
}

/** An uploaded image at the width the layout needs, in WebP where the browser reads it; nothing when there is none. */
export function MediaImage({ media, alt, sizes, className, priority = false }: MediaImageProps) {
  const sources = imageSources(media);
  if (!sources) return null;
  return (
    <picture>
      {sources.webp && <source type="image/webp" srcSet={sources.webp} sizes={sizes} />}
      <img
        src={sources.src}
        srcSet={sources.jpeg}
        sizes={sizes}
        width={sources.width}
        height={sources.height}
        alt={alt}
        loading={priority ? 'eager' : 'lazy'}
        fetchPriority={priority ? 'high' : undefined}
        decoding="async"
        className={className}
      />
    </picture>
  );
}
