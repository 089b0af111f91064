import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { buttonStyle, Spinner } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { UserPicker } from '../people/user-picker';
import { useAuditLog, type AuditEntry } from './api';
import { describeEntry, entryNote, noteLength } from './entry-words';
import { actionGroups, auditQuery, filtersFromParams, filtersToParams, isFiltered, targetPath, targetTypes, type AuditFilters } from './filters';
import { When } from './when';

const linkStyle = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';
const inputStyle = (error?: string) =>
  `mt-1.5 block w-full rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs focus:border-accent ${error ? 'border-danger' : 'border-ink/30'}`;

/** The server's complaints about the filters (query.since, ...), by filter name. */
function filterErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem?.errors ?? []) {
    const name = e.location?.replace(/^query\./, '');
    if (name && e.message && !out[name]) out[name] = `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
  }
  return out;
}

/** /admin/audit: what admins did, filtered by action, actor, target, time and words. */
export function Component() {
  const { t, i18n } = useTranslation('audit');
  const { t: ta } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // A range that ends before it starts is not asked about.
  const backwards = !!filters.since && !!filters.until && filters.until < filters.since;
  const log = useAuditLog(auditQuery(filters), !backwards);
  const entries = log.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const errors = backwards ? { until: t('filters.backwards') } : log.isError ? filterErrors(log.error) : {};
  const invalid = Object.keys(errors).length > 0;

  const apply = (next: Partial<AuditFilters>) => setParams(filtersToParams({ ...filters, ...next }));
  const dateWords = (iso: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(iso));

  return (
    <section aria-labelledby="audit-title">
      <title>{`${t('title')} · ${ta('name')}`}</title>
      <h1 id="audit-title" className="font-serif text-3xl">
        {t('title')}
      </h1>
      <p className="mt-2 text-muted">{t('intro')}</p>

      <FilterForm key={params.toString()} filters={filters} errors={errors} onApply={(f) => setParams(filtersToParams(f))} />
      <Chips filters={filters} entries={entries} onRemove={apply} />

      <p role="status" className="mt-6 text-sm text-muted">
        {!invalid && log.isSuccess && !log.isPlaceholderData && entries.length > 0
          ? t(log.hasNextPage ? 'table.countMore' : 'table.count', { count: entries.length })
          : ''}
      </p>
      <div className="mt-2" aria-busy={log.isFetching || undefined}>
        {invalid ? (
          <p role="alert" className="rounded-lg border border-danger/30 bg-danger/5 px-4 py-3 text-danger">
            {t('filters.invalid')}
          </p>
        ) : log.isPending ? (
          <PageSkeleton />
        ) : log.isError && !log.isFetchNextPageError ? (
          <QueryError error={log.error} onRetry={() => void log.refetch()} />
        ) : entries.length === 0 ? (
          <p className="rounded-xl border border-ink/10 bg-surface p-6 text-center text-muted">{isFiltered(filters) ? t('table.emptyFiltered') : t('table.empty')}</p>
        ) : (
          <div className={`overflow-x-auto rounded-xl border border-ink/10 bg-surface ${log.isPlaceholderData ? 'opacity-60' : ''}`}>
            <table className="w-full text-left">
              <caption className="sr-only">{t('table.caption')}</caption>
              <thead className="border-b border-ink/10 text-sm text-muted">
                <tr>
                  <th scope="col" className="px-4 py-3 font-medium">
                    {t('table.when')}
                    <span className="xl:hidden"> · {t('table.who')}</span>
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium xl:table-cell">
                    {t('table.who')}
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    {t('table.what')}
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    {t('table.target')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <EntryRow key={e.id} entry={e} words={describeEntry(e, t, dateWords)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {!invalid && log.hasNextPage && (
        <p className="mt-4">
          <button type="button" onClick={() => !log.isFetchingNextPage && void log.fetchNextPage()} aria-disabled={log.isFetchingNextPage || undefined} className={buttonStyle('quiet')}>
            {log.isFetchingNextPage && <Spinner />}
            {t('showMore')}
          </button>
        </p>
      )}
      {log.isFetchNextPageError && (
        <div className="mt-4">
          <QueryError error={log.error} onRetry={() => void log.fetchNextPage()} />
        </div>
      )}
    </section>
  );
}

/** An email address that may wrap after its @ rather than anywhere. */
function Address({ text }: { text: string }) {
  const at = text.indexOf('@');
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at + 1)}
      <wbr />
      {text.slice(at + 1)}
    </>
  );
}

function EntryRow({ entry, words }: { entry: AuditEntry; words: string }) {
  const { t } = useTranslation('audit');
  const note = entryNote(entry);
  const path = targetPath(entry.target);
  const targetLabel = entry.target.label || entry.target.id;
  const actor = entry.actor.id ? (
    <Link to={`/audit?${filtersToParams({ actor_id: entry.actor.id }).toString()}`} className={linkStyle} title={t('table.onlyActor', { label: entry.actor.label })}>
      <Address text={entry.actor.label} />
    </Link>
  ) : (
    <span className="text-muted">{entry.actor.label || t('table.operator')}</span>
  );
  // Narrower screens show who acted under when, in the first column.
  return (
    <tr className="border-b border-ink/10 align-top last:border-b-0">
      <td className="px-4 py-3">
        <span className="lg:whitespace-nowrap">
          <When at={entry.at} />
        </span>
        <span className="mt-1 block break-words xl:hidden">{actor}</span>
      </td>
      <td className="hidden px-4 py-3 break-words xl:table-cell">{actor}</td>
      <td className="min-w-56 px-4 py-3">
        <p className="max-w-prose [overflow-wrap:anywhere]">{words}</p>
        <p className="mt-0.5 text-sm text-muted">{t(`actionName.${entry.action}`, { defaultValue: entry.action })}</p>
        {note.length > noteLength && (
          <details className="mt-1">
            <summary className="cursor-pointer text-sm text-accent">{t('table.fullNote')}</summary>
            <p className="mt-1 max-w-prose whitespace-pre-wrap">{note}</p>
          </details>
        )}
      </td>
      <td className="px-4 py-3">
        <span className="block text-sm text-muted">{t(`targetType.${entry.target.type}`, { defaultValue: entry.target.type })}</span>
        {path ? (
          <Link to={path} className={`${linkStyle} break-words`}>
            <Address text={targetLabel} />
          </Link>
        ) : (
          <span className="break-words">{targetLabel}</span>
        )}
      </td>
    </tr>
  );
}

function FilterField({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-sm text-muted">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, error?: string, hint?: boolean) => [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

/** The filters, edited here and applied together; the URL keeps them. */
function FilterForm({ filters, errors, onApply }: { filters: AuditFilters; errors: Record<string, string>; onApply: (f: AuditFilters) => void }) {
  const { t } = useTranslation('audit');
  const id = useId();
  const [draft, setDraft] = useState(filters);
  const set = (name: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));

  // The first field the server complained about gets the focus.
  const firstError = Object.keys(errors)[0];
  useEffect(() => {
    if (firstError) document.getElementById(`${id}-${firstError}`)?.focus();
  }, [firstError, id]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby={`${id}-title`} className="mt-6 rounded-xl border border-ink/10 bg-surface p-5" noValidate>
      <h2 id={`${id}-title`} className="sr-only">
        {t('filters.title')}
      </h2>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <FilterField id={`${id}-action`} label={t('filters.action')} error={errors.action}>
          <select
            id={`${id}-action`}
            value={draft.action}
            onChange={set('action')}
            aria-invalid={errors.action ? true : undefined}
            aria-describedby={describedBy(`${id}-action`, errors.action)}
            className={inputStyle(errors.action)}
          >
            <option value="">{t('filters.anyAction')}</option>
            {actionGroups.map((g) => (
              <optgroup key={g.prefix} label={t(`group.${g.prefix}`)}>
                <option value={g.prefix}>{t('group.all', { group: t(`group.${g.prefix}`) })}</option>
                {g.actions.map((a) => (
                  <option key={a} value={a}>
                    {t(`actionName.${a}`)}
                  </option>
                ))}
              </optgroup>
            ))}
            {/* An action from a link that this list does not know yet. */}
            {draft.action && !actionGroups.some((g) => g.prefix === draft.action || g.actions.includes(draft.action)) && <option value={draft.action}>{draft.action}</option>}
          </select>
        </FilterField>
        <FilterField id={`${id}-target_type`} label={t('filters.targetType')} error={errors.target_type}>
          <select
            id={`${id}-target_type`}
            value={draft.target_type}
            onChange={set('target_type')}
            aria-invalid={errors.target_type ? true : undefined}
            aria-describedby={describedBy(`${id}-target_type`, errors.target_type)}
            className={inputStyle(errors.target_type)}
          >
            <option value="">{t('filters.anyTarget')}</option>
            {targetTypes.map((type) => (
              <option key={type} value={type}>
                {t(`targetType.${type}`)}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField id={`${id}-q`} label={t('filters.q')} error={errors.q} hint={t('filters.qHint')}>
          <input
            id={`${id}-q`}
            type="search"
            value={draft.q}
            onChange={set('q')}
            maxLength={200}
            spellCheck={false}
            aria-invalid={errors.q ? true : undefined}
            aria-describedby={describedBy(`${id}-q`, errors.q, true)}
            className={inputStyle(errors.q)}
          />
        </FilterField>
        <FilterField id={`${id}-since`} label={t('filters.since')} error={errors.since}>
          <input
            id={`${id}-since`}
            type="date"
            value={draft.since}
            max={draft.until || undefined}
            onChange={set('since')}
            aria-invalid={errors.since ? true : undefined}
            aria-describedby={describedBy(`${id}-since`, errors.since)}
            className={inputStyle(errors.since)}
          />
        </FilterField>
        <FilterField id={`${id}-until`} label={t('filters.until')} error={errors.until}>
          <input
            id={`${id}-until`}
            type="date"
            value={draft.until}
            min={draft.since || undefined}
            onChange={set('until')}
            aria-invalid={errors.until ? true : undefined}
            aria-describedby={describedBy(`${id}-until`, errors.until)}
            className={inputStyle(errors.until)}
          />
        </FilterField>
        <UserPicker
          label={t('filters.pickActor')}
          hint={t('filters.pickActorHint')}
          value={draft.actor_id || null}
          onChange={(u) => setDraft((d) => ({ ...d, actor_id: u?.id ?? '' }))}
          clear={t('filters.clearActor')}
          error={errors.actor_id}
        />
      </div>
      <div className="mt-5 flex flex-wrap items-center gap-4">
        <button type="submit" className={buttonStyle('primary')}>
          {t('filters.apply')}
        </button>
        {isFiltered(filters) && (
          <Link to="/audit" className={linkStyle}>
            {t('filters.clear')}
          </Link>
        )}
      </div>
    </form>
  );
}

/** The filter a link set that has no field of its own (one target), with a button to drop it. */
function Chips({ filters, entries, onRemove }: { filters: AuditFilters; entries: AuditEntry[]; onRemove: (f: Partial<AuditFilters>) => void }) {
  const { t } = useTranslation('audit');
  if (!filters.target_id) return null;
  const known = entries.find((e) => e.target.id === filters.target_id);
  const label = known?.target.label
    ? t('filters.target', { label: known.target.label })
    : filters.target_type
      ? t('filters.targetUnknown', { type: t(`targetNoun.${filters.target_type}`, { defaultValue: filters.target_type }) })
      : t('filters.target', { label: filters.target_id });
  return (
    <p className="mt-4 flex flex-wrap gap-2">
      <span className="inline-flex items-center gap-2 rounded-full border border-ink/20 bg-surface py-1 pl-3 pr-1">
        {label}
        <button
          type="button"
          onClick={() => onRemove({ target_id: '' })}
          aria-label={t('filters.removeFilter', { label })}
          className="flex size-7 items-center justify-center rounded-full hover:bg-ink/10"
        >
          <span aria-hidden="true">×</span>
        </button>
      </span>
    </p>
  );
}
