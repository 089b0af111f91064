// /admin/plans/:id/days/:n/preview: a day of the plan as readers will see
// it, drawn by the reader's own components from the plan as saved, in a
// frame that says it is a preview and leads to the days around it.
import { useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { components } from '../../api/schema';
import { PageSkeleton } from '../../components/page-skeleton';
import { Prose } from '../../components/prose';
import { QueryError } from '../../components/query-error';
import { useSession } from '../../features/auth/session';
import { DoneCheckbox } from '../../features/today/components/done-checkbox';
import { ItemCard } from '../../features/today/components/item-card';
import { ParallelText } from '../../features/today/components/parallel-text';
import { TaskList } from '../../features/today/components/task-list';
import { Waveform } from '../../features/today/components/waveform';
import { useStudioPlan, type Day, type Item, type Task } from './api';
import { PlanNotFound } from './not-found';
import { existingSession, isNotFound } from './plan-session';

type ReaderItem = components['schemas']['EnrolledItemBody'];
type ReaderTask = components['schemas']['EnrolledTaskBody'];

const noSession = { subscribe: () => () => undefined, getSnapshot: () => undefined };

export function Component() {
  const { t } = useTranslation('studio');
  const { id = '', n = '' } = useParams();
  const number = Number(n);
  const query = useStudioPlan(id);
  const session = existingSession(useSession().user?.id ?? '', id) ?? noSession;
  const saving = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [done, setDone] = useState<Set<string>>(new Set());

  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isNotFound(query.error)) return <PlanNotFound />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const plan = query.data;
  const total = plan.days?.length ?? 0;
  const day = Number.isInteger(number) ? plan.days?.[number - 1] : undefined;
  const editor = `/plans/${plan.id}`;
  const link = 'rounded-lg px-3 py-2 text-accent hover:bg-ink/5';
  const unsaved = saving && saving.queue.status !== 'saved';
  const toggle = (itemId: string, on: boolean) =>
    setDone((s) => {
      const next = new Set(s);
      if (on) next.add(itemId);
      else next.delete(itemId);
      return next;
    });

  if (!day) {
    return (
      <section className="mx-auto max-w-md py-10 text-center">
        <title>{`${t('preview.noDay', { n })} · ${t('name', { ns: 'admin' })}`}</title>
        <h1 className="font-serif text-3xl">{t('preview.noDay', { n })}</h1>
        <p className="mt-3 text-muted">{t('preview.noDayBody', { count: total })}</p>
        <p className="mt-8">
          <Link to={editor} className="text-accent underline underline-offset-4">
            {t('preview.back')}
          </Link>
        </p>
      </section>
    );
  }

  return (
    <div className="space-y-8">
      <title>{`${t('preview.title', { n: number })} · ${plan.title} · ${t('name', { ns: 'admin' })}`}</title>
      <div className="sticky top-0 z-20 -mx-4 -mt-6 border-b-2 border-accent/50 bg-surface px-4 py-3 md:-mx-8 md:px-8">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="font-medium">{t('preview.banner', { n: number })}</p>
          <nav aria-label={t('preview.nav')} className="flex flex-wrap items-center gap-1 text-sm">
            {number > 1 && (
              <Link to={`${editor}/days/${number - 1}/preview`} className={link}>
                <span aria-hidden="true">← </span>
                {t('preview.day', { n: number - 1 })}
              </Link>
            )}
            {number < total && (
              <Link to={`${editor}/days/${number + 1}/preview`} className={link}>
                {t('preview.day', { n: number + 1 })}
                <span aria-hidden="true"> →</span>
              </Link>
            )}
            <Link to={editor} className={`${link} font-medium`}>
              {t('preview.back')}
            </Link>
          </nav>
        </div>
        {unsaved && (
          <p role="status" className="mt-1 text-sm text-muted">
            {t('preview.unsaved')}
          </p>
        )}
      </div>

      <ReaderDay
        planTitle={plan.title}
        total={total}
        number={number}
        day={day}
        done={done}
        onDone={toggle}
      />
    </div>
  );
}

/** The day as the reader's Today page draws it (without the journal and the streak, which are the reader's own). */
function ReaderDay({
  planTitle,
  total,
  number,
  day,
  done,
  onDone,
}: {
  planTitle: string;
  total: number;
  number: number;
  day: Day;
  done: Set<string>;
  onDone: (id: string, done: boolean) => void;
}) {
  const { t } = useTranslation('today');
  const items = day.items ?? [];
  const tasks: (ReaderTask & { shown: boolean })[] = (day.tasks ?? []).map((x: Task) => ({ ...x, done: false, shown: done.has(x.id) }));
  return (
    <article aria-labelledby="day-title" className="space-y-12">
      <header className="mx-auto max-w-2xl">
        <p className="text-sm tracking-wide text-muted">
          {planTitle} · {t('dayOf', { day: number, total })}
        </p>
        <h1 id="day-title" className="mt-2 font-serif text-4xl leading-tight text-balance">
          {day.title}
        </h1>
        {day.minutes > 0 && <p className="mt-2 text-muted">{t('minutes', { count: day.minutes })}</p>}
      </header>

      {day.intro_html && <Prose html={day.intro_html} className="mx-auto max-w-2xl italic text-ink/85" />}

      {items.map((i) => {
        const item: ReaderItem = { ...i, done: false };
        return i.media?.url && (i.kind === 'audio' || i.kind === 'video') ? (
          <PlayedItem key={i.id} item={i} done={done.has(i.id)} onDone={(d) => onDone(i.id, d)} />
        ) : (
          <ItemCard key={i.id} enrollmentId="" item={item} done={done.has(i.id)} onDone={(d) => onDone(i.id, d)} />
        );
      })}

      {tasks.length > 0 && (
        <section aria-labelledby="practice-title" className="mx-auto max-w-2xl">
          <h2 id="practice-title" className="mb-4 font-serif text-2xl">
            {t('practice')}
          </h2>
          <TaskList tasks={tasks} onDone={(x, d) => onDone(x.id, d)} />
        </section>
      )}
    </article>
  );
}

/**
 * An audio or video item as the reader's card draws it. The reader's player
 * remembers where each reader stopped, which a preview has no reader for:
 * this one plays the file with the same waveform, and remembers nothing.
 */
function PlayedItem({ item, done, onDone }: { item: Item; done: boolean; onDone: (done: boolean) => void }) {
  const { t } = useTranslation('today');
  const titleId = useId();
  const ref = useRef<HTMLAudioElement & HTMLVideoElement>(null);
  const [played, setPlayed] = useState(0);
  const media = item.media!;
  const about = [t(`itemKind.${item.kind}`), item.citation, item.minutes > 0 && t('minutesShort', { count: item.minutes })]
    .filter(Boolean)
    .join(' · ');
  const common = {
    ref,
    src: media.url,
    controls: true,
    preload: 'metadata' as const,
    'aria-label': item.title,
    className: 'w-full',
    onTimeUpdate: () => {
      const p = ref.current;
      if (p && Number.isFinite(p.duration) && p.duration > 0) setPlayed(p.currentTime / p.duration);
    },
  };
  return (
    <article aria-labelledby={titleId} className="space-y-5">
      <header className="mx-auto max-w-2xl">
        <p className="text-sm text-muted">{about}</p>
        <h2 id={titleId} className="mt-1 font-serif text-[1.625rem] leading-snug text-balance">
          {item.title}
        </h2>
      </header>
      <div className="mx-auto max-w-2xl space-y-2">
        {item.kind === 'video' ? (
          <video {...common} playsInline className="w-full rounded-xl bg-ink/5" />
        ) : (
          <>
            {media.peaks && media.peaks.length > 0 && (
              <Waveform
                peaks={media.peaks}
                played={played}
                onSeek={(f) => {
                  const p = ref.current;
                  if (p && Number.isFinite(p.duration)) p.currentTime = f * p.duration;
                }}
              />
            )}
            <audio {...common} />
          </>
        )}
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
