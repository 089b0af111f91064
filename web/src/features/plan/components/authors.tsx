import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { MediaImage } from '../../../components/media-image';
import { Prose } from '../../../components/prose';

type Author = components['schemas']['AuthorBody'];

/** Who wrote the plan: their photos and bios. */
export function Authors({ authors }: { authors: Author[] }) {
  const { t } = useTranslation('plan');
  if (authors.length === 0) return null;
  return (
    <section aria-labelledby="authors-title" className="mt-14">
      <h2 id="authors-title" className="font-serif text-2xl">
        {t('authors.heading', { count: authors.length })}
      </h2>
      <ul className="mt-5 space-y-8">
        {authors.map((author) => (
          <li key={author.id} className="flex gap-4">
            <div className="size-16 shrink-0 overflow-hidden rounded-full bg-accent/10">
              {author.photo ? (
                <MediaImage media={author.photo} alt="" sizes="64px" className="size-full object-cover" />
              ) : (
                <span aria-hidden="true" className="flex size-full items-center justify-center font-serif text-2xl text-accent">
                  {author.name.charAt(0)}
                </span>
              )}
            </div>
            <div className="min-w-0">
              <h3 className="font-serif text-xl">{author.name}</h3>
              {author.tradition !== 'other' && (
                <p className="text-sm text-muted">{t(`common:catalog.tradition.${author.tradition}`)}</p>
              )}
              {author.bio_html && <Prose html={author.bio_html} size="body" className="mt-2 text-muted" />}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
