import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../../api/schema';
import { MediaImage } from '../../../components/media-image';
import { DoneCheckbox } from './done-checkbox';
import { MediaPlayer } from './media-player';
import { ParallelText } from './parallel-text';
import { Prose } from '../../../components/prose';

type Item = components['schemas']['EnrolledItemBody'];

const linkStyle = 'inline-flex items-center gap-1 text-accent underline underline-offset-4';

/** What an item shows besides its text: a player, a picture, a file or a link. */
function ItemMedia({ enrollmentId, item }: { enrollmentId: string; item: Item }) {
  const { t } = useTranslation('today');
  const media = item.media;
  if (item.kind === 'link' && item.url) {
    return (
      <a href={item.url} target="_blank" rel="noopener noreferrer" className={linkStyle}>
        {t('media.openLink')} <span aria-hidden="true">↗</span>
      </a>
    );
  }
  if (!media) return null;
  const url = media.url;
  if (!url) return <p className="text-muted">{t('media.preparing')}</p>;
  switch (item.kind) {
    case 'audio':
    case 'video':
      return <MediaPlayer enrollmentId={enrollmentId} itemId={item.id} title={item.title} media={{ ...media, url }} />;
    case 'image':
      return <MediaImage media={media} alt={item.title} sizes="(min-width: 42rem) 42rem, 100vw" className="h-auto w-full rounded-xl" />;
    case 'pdf':
      return (
        <a href={url} target="_blank" rel="noopener noreferrer" className={linkStyle}>
          {t('media.openPdf', { name: media.filename })} <span aria-hidden="true">↗</span>
        </a>
      );
    default:
      return null;
  }
}

/** One item of the day: its title, its media, its text (with the root text beside it), and its Done box. */
export function ItemCard({
  enrollmentId,
  item,
  done,
  onDone,
}: {
  enrollmentId: string;
  item: Item;
  done: boolean;
  onDone: (done: boolean) => void;
}) {
  const { t } = useTranslation('today');
  const titleId = useId();
  const about = [t(`itemKind.${item.kind}`), item.citation, item.minutes > 0 && t('minutesShort', { count: item.minutes })]
    .filter(Boolean)
    .join(' · ');
  return (
    <article aria-labelledby={titleId} className="space-y-5">
      <header className="mx-auto max-w-2xl">
        <p className="text-sm text-muted">{about}</p>
        <h2 id={titleId} className="mt-1 font-serif text-[1.625rem] leading-snug text-balance">
          {item.title}
        </h2>
      </header>
      <div className="mx-auto max-w-2xl empty:hidden">
        <ItemMedia enrollmentId={enrollmentId} item={item} />
      </div>
      {item.root_html ? (
        <ParallelText html={item.body_html} rootHtml={item.root_html} rootLanguage={item.root_language} />
      ) : (
        item.body_html && <Prose html={item.body_html} className="mx-auto max-w-2xl" />
      )}
      <div className="mx-auto max-w-2xl">
        <DoneCheckbox checked={done} onChange={onDone} describedBy={titleId} />
      </div>
    </article>
  );
}
