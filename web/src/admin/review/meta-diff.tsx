import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MediaImage } from '../../components/media-image';
import { Prose } from '../../components/prose';
import { Del, DiffText, DiffValue, Ins } from './diff-text';
import type { ListChange, MetaChange, PlanBody, PlanDiff } from './plan-diff';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 border-b border-ink/10 py-3 last:border-b-0 md:grid-cols-[10rem_1fr] md:gap-4">
      <dt className="font-medium text-muted">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

function ListDiff<T>({ change, name, keyOf, plain }: { change: ListChange<T>; name: (t: T) => string; keyOf: (t: T) => string; plain: boolean }) {
  const { t } = useTranslation('review');
  if (change.added.length + change.removed.length + change.kept.length === 0) return <span className="text-muted">{t('diff.none')}</span>;
  const kept = plain ? [...change.kept, ...change.added] : change.kept;
  const added = plain ? [] : change.added;
  return (
    <ul className="flex flex-wrap gap-2">
      {kept.map((x) => (
        <li key={keyOf(x)} className="rounded-full border border-ink/15 px-2.5 py-0.5">
          {name(x)}
        </li>
      ))}
      {added.map((x) => (
        <li key={keyOf(x)}>
          <Ins>{name(x)}</Ins>
        </li>
      ))}
      {change.removed.map((x) => (
        <li key={keyOf(x)}>
          <Del>{name(x)}</Del>
        </li>
      ))}
    </ul>
  );
}

function Cover({ plan, label }: { plan: PlanBody | null; label: string }) {
  const { t } = useTranslation('review');
  return (
    <figure className="w-40">
      {plan?.cover ? (
        <MediaImage media={plan.cover} alt="" sizes="10rem" className="h-auto w-full rounded-lg border border-ink/10" />
      ) : (
        <div className="flex aspect-[4/3] items-center justify-center rounded-lg border border-dashed border-ink/20 text-sm text-muted">{t('diff.none')}</div>
      )}
      <figcaption className="mt-1 text-sm text-muted">{label}</figcaption>
    </figure>
  );
}

/** The plan's details: each field that changed (or, with everything shown, every field) with its diff. */
export function MetaDiff({ diff, published, current, onlyChanges }: { diff: PlanDiff; published: PlanBody | null; current: PlanBody; onlyChanges: boolean }) {
  const { t } = useTranslation('review');
  const { t: tc } = useTranslation();

  const valueWords = (m: MetaChange, v: string): string => {
    if (!v) return '';
    if (m.field === 'tradition') return tc(`catalog.tradition.${v}`, { defaultValue: v });
    if (m.field === 'level') return tc(`catalog.level.${v}`, { defaultValue: v });
    return v;
  };

  // A plan never published is all new: its details are shown as they are, unmarked.
  const plain = (m: { status: string }) => diff.isNew || m.status === 'unchanged';
  const rows: ReactNode[] = [];
  for (const m of diff.meta) {
    if (onlyChanges && m.status === 'unchanged') continue;
    const label = t(`fields.plan.${m.field}`);
    let body: ReactNode;
    if (m.field === 'cover') {
      body =
        plain(m) ? (
          <Cover plan={current} label={diff.isNew ? '' : t('diff.unchanged')} />
        ) : (
          <div className="flex flex-wrap gap-4">
            <Cover plan={published} label={t('diff.before')} />
            <Cover plan={current} label={t('diff.after')} />
          </div>
        );
    } else if (m.field === 'description' && plain(m)) {
      body = current.description_html ? <Prose html={current.description_html} size="body" /> : <span className="text-muted">{t('diff.none')}</span>;
    } else if (plain(m)) {
      body = <span className={m.field === 'title' ? 'font-serif text-xl' : ''}>{valueWords(m, m.after) || <span className="text-muted">{t('diff.none')}</span>}</span>;
    } else if (m.segments) {
      body = <DiffText segments={m.segments} className={m.field === 'title' ? 'font-serif text-xl' : ''} />;
    } else {
      body = <DiffValue before={valueWords(m, m.before)} after={valueWords(m, m.after)} />;
    }
    rows.push(
      <Row key={m.field} label={label}>
        {body}
      </Row>,
    );
  }
  if (!onlyChanges || diff.topics.status !== 'unchanged') {
    rows.push(
      <Row key="topics" label={t('fields.plan.topics')}>
        <ListDiff change={diff.topics} plain={diff.isNew} name={(x) => x} keyOf={(x) => x} />
      </Row>,
    );
  }
  if (!onlyChanges || diff.authors.status !== 'unchanged') {
    rows.push(
      <Row key="authors" label={t('fields.plan.authors')}>
        <ListDiff change={diff.authors} plain={diff.isNew} name={(a) => a.name} keyOf={(a) => a.id} />
      </Row>,
    );
  }

  if (rows.length === 0) return <p className="text-muted">{t('meta.noChanges')}</p>;
  return <dl className="rounded-xl border border-ink/10 bg-surface px-5">{rows}</dl>;
}
