// The settings form: edited freely, saved on purpose. Saving shows what
// changes first; the change is sent with the version it was made from, so
// that another tab's or admin's change meanwhile is found (409) and the
// admin chooses: take theirs, or save theirs with this admin's on top.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useBlocker } from 'react-router';
import { ApiError } from '../../api/problem';
import { buttonStyle, Field, FormMessage, Spinner } from '../../components/form';
import { useSession } from '../../features/auth/session';
import { dateLocale, formatInstant } from '../../lib/calendar-date';
import { fieldErrors, problemWords } from '../../lib/problem-words';
import { useRefreshSettings, useUpdateSettings, type Period, type Rate, type SettingsPatch, type SettingsSnapshot } from './api';
import { Dialog } from './dialog';
import { Section } from './section';
import {
  boundsOf,
  changes,
  collisions,
  fieldNames,
  formChanges,
  formOf,
  isDirty,
  limits,
  ordered,
  patchOf,
  periods,
  rateOrder,
  rebase,
  validate,
  type Change,
  type FieldProblem,
  type SettingsForm,
} from './settings-form';

type Messages = Record<string, string>;

const link = 'text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent';
const control = (error?: string) =>
  `mt-1.5 block rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs outline-offset-1 focus:border-accent ${error ? 'border-danger' : 'border-ink/30'}`;

function ErrorText({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="mt-1.5 text-sm text-danger">
      {error}
    </p>
  );
}

/**
 * A 422's errors by field, a number out of range told in the page's words
 * (the server's are in English and name no bounds a person reads easily).
 */
export function useServerErrors(): (error: unknown) => Messages {
  const { t } = useTranslation('system');
  return (error) =>
    Object.fromEntries(
      Object.entries(fieldErrors(error)).map(([field, message]) => {
        const bounds = boundsOf(field);
        return [field, bounds && /^expected number/i.test(message) ? t('errors.range', bounds) : message];
      }),
    );
}

/** Words for a rate limit: "30 a minute". */
export function useRateWords(): (r: Rate) => string {
  const { t, i18n } = useTranslation('system');
  const nf = new Intl.NumberFormat(dateLocale(i18n.language));
  return (r) => t(`rates.rate.${r.period}`, { count: r.rate, n: nf.format(r.rate) });
}

/** A feature flag's name: ours for the flags we know, else the server's. */
function useFlagName(): (flag: string) => string {
  const { t } = useTranslation('system');
  return (flag) => t(`features.names.${flag}`, { defaultValue: flag.replaceAll('_', ' ') });
}

export function SettingsEditor({ stored }: { stored: SettingsSnapshot }) {
  const { t, i18n } = useTranslation('system');
  const { user } = useSession();
  const locale = dateLocale(i18n.language);
  const update = useUpdateSettings();
  const refresh = useRefreshSettings();

  // The settings the form was made from: its changes are sent with their version.
  const [base, setBase] = useState(stored);
  const [form, setForm] = useState(() => formOf(stored.settings));
  const [errors, setErrors] = useState<Messages>({});
  const [message, setMessage] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [step, setStep] = useState<'edit' | 'confirm' | 'conflict'>('edit');
  const [latest, setLatest] = useState<SettingsSnapshot>();
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const dirty = isDirty(base.settings, form);
  // Read again (the tab came back into view): adopt a newer version unless it would drop the admin's work.
  const stale = stored.version !== base.version && dirty;
  useEffect(() => {
    if (stored.version !== base.version && !dirty) {
      setBase(stored);
      setForm(formOf(stored.settings));
    }
  }, [stored, base.version, dirty]);

  // After a failed attempt, the first field in error (else the message) gets focus.
  useEffect(() => {
    if (attempt === 0) return;
    const f = formRef.current;
    (f?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? f?.querySelector<HTMLElement>('[data-form-message]'))?.focus();
  }, [attempt]);

  // Leaving with unsaved changes asks first, in the panel and when closing the tab.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const words = (p: FieldProblem) => t(`errors.${p.code}`, p);
  const serverErrors = useServerErrors();
  const pending = useMemo(() => (Object.keys(validate(form)).length ? null : formChanges(base.settings, form)), [base, form]);

  function change(f: (next: SettingsForm) => void, ...fields: string[]) {
    setForm((old) => {
      const next = structuredClone(old);
      f(next);
      return next;
    });
    setStatus(undefined);
    if (fields.some((name) => errors[name])) {
      setErrors((old) => Object.fromEntries(Object.entries(old).filter(([k]) => !fields.includes(k))));
    }
  }

  function fail(fields: Messages, text?: string) {
    const names = fieldNames(form);
    const placed = Object.fromEntries(Object.entries(fields).filter(([k]) => names.has(k)));
    const unplaced = Object.entries(fields).filter(([k]) => !names.has(k)).map(([, m]) => m);
    setErrors(placed);
    setMessage([text, ...unplaced].filter(Boolean).join(' ') || undefined);
    setAttempt((n) => n + 1);
  }

  function review(e: FormEvent) {
    e.preventDefault();
    setStatus(undefined);
    const problems = validate(form);
    if (Object.keys(problems).length) {
      fail(Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, words(p)])), t('save.fix'));
      return;
    }
    setErrors({});
    setMessage(undefined);
    if (formChanges(base.settings, form).length === 0) {
      setStatus(t('save.nothing'));
      return;
    }
    setStep('confirm');
  }

  function save(patch: SettingsPatch, from: SettingsSnapshot) {
    update.mutate(
      { patch, version: from.version },
      {
        onSuccess: (snapshot) => {
          setBase(snapshot);
          setForm(formOf(snapshot.settings));
          setErrors({});
          setMessage(undefined);
          setStep('edit');
          setStatus(t('save.saved'));
        },
        onError: async (error) => {
          if (error instanceof ApiError && error.status === 409) {
            try {
              setLatest(await refresh());
              setStep('conflict');
            } catch (again) {
              setStep('edit');
              fail({}, problemWords(again, t));
            }
            return;
          }
          setStep('edit');
          const fields = serverErrors(error);
          fail(fields, Object.keys(fields).length ? t('save.fix') : problemWords(error, t));
        },
      },
    );
  }

  function reload(snapshot: SettingsSnapshot) {
    setBase(snapshot);
    setForm(formOf(snapshot.settings));
    setErrors({});
    setMessage(undefined);
    setStep('edit');
    setStatus(t('conflict.reloaded'));
  }

  function overwrite(theirs: SettingsSnapshot) {
    const next = rebase(base.settings, form, theirs.settings);
    setBase(theirs);
    setForm(next);
    const patch = patchOf(theirs.settings, next);
    if (Object.keys(patch).length === 0) {
      setStep('edit');
      setStatus(t('save.saved'));
      return;
    }
    save(patch, theirs);
  }

  const flagName = useFlagName();
  const hourFormat = useMemo(() => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }), [locale]);
  const hour = (h: number) => hourFormat.format(Date.UTC(2000, 0, 1, h));

  const ids = useId();
  const unsaved = pending ? pending.length : dirty ? -1 : 0;

  return (
    <form ref={formRef} onSubmit={review} noValidate className="space-y-6">
      <p className="text-sm text-muted">
        {base.updated_at
          ? t('version', { version: base.version, date: formatInstant(base.updated_at, locale, user?.timezone, { dateStyle: 'medium', timeStyle: 'short' }) })
          : t('neverChanged')}{' '}
        <Link to="/audit" className={link}>
          {t('auditLink')}
        </Link>
      </p>

      <Section title={t('site.title')}>
        <Field
          label={t('site.name')}
          hint={t('site.nameHint')}
          name="site_name"
          value={form.site_name}
          maxLength={limits.siteName + 20}
          onChange={(e) => change((f) => void (f.site_name = e.target.value), 'site_name')}
          error={errors.site_name}
          className="max-w-xl"
        />
      </Section>

      <Section title={t('registration.title')}>
        <fieldset aria-describedby={errors.registration ? `${ids}-registration-error` : undefined}>
          <legend className="font-medium">{t('registration.legend')}</legend>
          <div className="mt-2 space-y-2">
            {(['open', 'invite_only'] as const).map((r) => (
              <label key={r} className="flex cursor-pointer gap-3 rounded-xl border border-ink/15 p-3 has-checked:border-accent has-checked:bg-accent/5">
                <input
                  type="radio"
                  name="registration"
                  value={r}
                  checked={form.registration === r}
                  onChange={() => change((f) => void (f.registration = r), 'registration')}
                  aria-invalid={errors.registration ? true : undefined}
                  className="mt-1 accent-accent"
                />
                <span>
                  <span className="block font-medium">{t(`registration.${r}`)}</span>
                  <span className="block text-sm text-muted">{r === 'open' ? t('registration.openHint') : t('registration.inviteHint')}</span>
                </span>
              </label>
            ))}
          </div>
          <ErrorText id={`${ids}-registration-error`} error={errors.registration} />
        </fieldset>
      </Section>

      <Section title={t('defaults.title')} intro={t('defaults.intro')}>
        <div className="grid gap-5 md:grid-cols-2">
          <Select
            label={t('defaults.reminder')}
            hint={t('defaults.reminderHint')}
            name="default_reminder_hour"
            value={form.default_reminder_hour}
            options={Array.from({ length: 24 }, (_, h) => ({ value: h, label: hour(h) }))}
            onChange={(v) => change((f) => void (f.default_reminder_hour = v), 'default_reminder_hour')}
            error={errors.default_reminder_hour}
          />
          <Select
            label={t('defaults.grace')}
            hint={t('defaults.graceHint')}
            name="default_grace_days"
            value={form.default_grace_days}
            options={Array.from({ length: limits.grace.max + 1 }, (_, g) => ({
              value: g,
              label: g === 0 ? t('defaults.noGrace') : t('defaults.graceDays', { count: g }),
            }))}
            onChange={(v) => change((f) => void (f.default_grace_days = v), 'default_grace_days')}
            error={errors.default_grace_days}
          />
        </div>
      </Section>

      <Section title={t('rates.title')} intro={t('rates.intro')}>
        {ordered(Object.keys(form.rate_limits), rateOrder).map((name) => (
          <RateField
            key={name}
            name={name}
            value={form.rate_limits[name]!}
            errors={errors}
            defaultRate={(base.defaults.rate_limits as Record<string, Rate>)[name]}
            onChange={(rate, period) =>
              change(
                (f) => void (f.rate_limits[name] = { rate, period }),
                `rate_limits.${name}`,
                `rate_limits.${name}.rate`,
                `rate_limits.${name}.period`,
              )
            }
          />
        ))}
      </Section>

      <Section title={t('features.title')} intro={t('features.intro')}>
        <ul className="space-y-4">
          {Object.keys(form.features).map((flag) => (
            <li key={flag}>
              <Switch
                label={flagName(flag)}
                description={base.feature_descriptions[flag]}
                checked={form.features[flag]!}
                onChange={(on) => change((f) => void (f.features[flag] = on), `features.${flag}`)}
                error={errors[`features.${flag}`]}
              />
            </li>
          ))}
        </ul>
      </Section>

      <div className="sticky bottom-0 z-10 -mx-4 space-y-3 border-t border-ink/10 bg-paper/95 px-4 py-4 backdrop-blur md:-mx-8 md:px-8">
        {stale && (
          <div role="alert" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border border-accent/40 bg-accent/5 px-4 py-3">
            <p className="min-w-0 flex-1">
              <span className="font-semibold">{t('stale.title')}.</span> {t('stale.body', { version: stored.version })}
            </p>
            <button type="button" onClick={() => reload(stored)} className={buttonStyle('quiet')}>
              {t('stale.reload')}
            </button>
          </div>
        )}
        <FormMessage>{message}</FormMessage>
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className={buttonStyle('primary')} aria-disabled={update.isPending || undefined}>
            {update.isPending && <Spinner />}
            {t('save.button')}
          </button>
          <p aria-live="polite" className="text-sm text-muted">
            {status ??
              (unsaved > 0 ? t('save.unsaved', { count: unsaved }) : unsaved < 0 ? t('save.unsavedTyping') : '')}
          </p>
        </div>
      </div>

      <Dialog
        open={step === 'confirm'}
        title={t('save.confirmTitle')}
        onClose={() => !update.isPending && setStep('edit')}
        actions={
          <>
            <button
              type="button"
              className={buttonStyle('primary')}
              aria-disabled={update.isPending || undefined}
              onClick={() => !update.isPending && save(patchOf(base.settings, form), base)}
            >
              {update.isPending && <Spinner />}
              {t('save.confirm')}
            </button>
            <button type="button" className={buttonStyle('quiet')} onClick={() => !update.isPending && setStep('edit')}>
              {t('save.keepEditing')}
            </button>
          </>
        }
      >
        <p>{t('save.confirmIntro')}</p>
        <ChangeList list={pending ?? []} />
      </Dialog>

      {latest && (
        <ConflictDialog
          open={step === 'conflict'}
          mine={formChanges(base.settings, form)}
          theirs={changes(base.settings, latest.settings)}
          latest={latest}
          pending={update.isPending}
          onReload={() => reload(latest)}
          onOverwrite={() => overwrite(latest)}
          onClose={() => setStep('edit')}
        />
      )}

      <Dialog
        open={blocker.state === 'blocked'}
        title={t('leave.title')}
        onClose={() => blocker.reset?.()}
        actions={
          <>
            <button type="button" className={buttonStyle('primary')} onClick={() => blocker.reset?.()}>
              {t('leave.stay')}
            </button>
            <button type="button" className={buttonStyle('quiet')} onClick={() => blocker.proceed?.()}>
              {t('leave.leave')}
            </button>
          </>
        }
      >
        <p>{t('leave.body')}</p>
      </Dialog>
    </form>
  );
}

/** The words of one setting's name. */
function useChangeName(): (c: Change) => string {
  const { t } = useTranslation('system');
  const flagName = useFlagName();
  return (c) => {
    if (c.field === 'site_name') return t('site.name');
    if (c.field === 'registration') return t('registration.legend');
    if (c.field === 'default_reminder_hour') return t('defaults.reminder');
    if (c.field === 'default_grace_days') return t('defaults.grace');
    if ('name' in c && c.field.startsWith('rate_limits.')) return t(`rates.names.${c.name}`, { defaultValue: c.name });
    if ('name' in c) return flagName(c.name);
    return c.field;
  };
}

/** The changes, each with its name and its values before and after. */
function ChangeList({ list }: { list: readonly Change[] }) {
  const { t, i18n } = useTranslation('system');
  const name = useChangeName();
  const rateWords = useRateWords();
  const locale = dateLocale(i18n.language);
  const hourFormat = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const value = (c: Change, v: unknown): string => {
    if (v === undefined) return '—';
    if (c.field === 'site_name') return `“${String(v)}”`;
    if (c.field === 'registration') return t(`registration.${v as 'open' | 'invite_only'}`);
    if (c.field === 'default_reminder_hour') return hourFormat.format(Date.UTC(2000, 0, 1, v as number));
    if (c.field === 'default_grace_days') return (v as number) === 0 ? t('defaults.noGrace') : t('defaults.graceDays', { count: v as number });
    if (c.field.startsWith('rate_limits.')) return rateWords(v as Rate);
    return v ? t('features.on') : t('features.off');
  };
  return (
    <ul className="list-disc space-y-1.5 pl-5">
      {list.map((c) => (
        <li key={c.field}>
          <span className="font-medium">{name(c)}</span>:{' '}
          {c.from === undefined ? t('save.set', { to: value(c, c.to) }) : t('save.from', { from: value(c, c.from), to: value(c, c.to) })}
        </li>
      ))}
    </ul>
  );
}

function ConflictDialog({
  open,
  mine,
  theirs,
  latest,
  pending,
  onReload,
  onOverwrite,
  onClose,
}: {
  open: boolean;
  mine: Change[];
  theirs: Change[];
  latest: SettingsSnapshot;
  pending: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('system');
  const name = useChangeName();
  const both = collisions(mine, theirs);
  const byField = new Map<string, Change>(mine.map((c) => [c.field, c]));
  return (
    <Dialog
      open={open}
      title={t('conflict.title')}
      onClose={() => !pending && onClose()}
      actions={
        <>
          <button type="button" className={buttonStyle('quiet')} onClick={() => !pending && onReload()}>
            {t('conflict.reload')}
          </button>
          <button type="button" className={buttonStyle('primary')} aria-disabled={pending || undefined} onClick={() => !pending && onOverwrite()}>
            {pending && <Spinner />}
            {t('conflict.overwrite')}
          </button>
          <button type="button" className={buttonStyle('quiet')} onClick={() => !pending && onClose()}>
            {t('save.keepEditing')}
          </button>
        </>
      }
    >
      <p>{t('conflict.body', { version: latest.version })}</p>
      {theirs.length ? (
        <>
          <p>{t('conflict.theirs')}</p>
          <ChangeList list={theirs} />
        </>
      ) : (
        <p>{t('conflict.none')}</p>
      )}
      {both.length > 0 && (
        <p className="font-semibold">{t('conflict.both', { fields: both.map((f) => name(byField.get(f)!)).join(', ') })}</p>
      )}
      <p className="text-sm text-muted">{t('conflict.reloadHint')}</p>
      <p className="text-sm text-muted">{t('conflict.overwriteHint')}</p>
    </Dialog>
  );
}

function Select({
  label,
  hint,
  name,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  name: string;
  value: number;
  options: { value: number; label: string }[];
  onChange: (value: number) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      <p id={`${id}-hint`} className="mt-0.5 text-sm text-muted">
        {hint}
      </p>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        className={`${control(error)} w-48`}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

function RateField({
  name,
  value,
  errors,
  defaultRate,
  onChange,
}: {
  name: string;
  value: { rate: string; period: Period };
  errors: Messages;
  defaultRate?: Rate;
  onChange: (rate: string, period: Period) => void;
}) {
  const { t } = useTranslation('system');
  const rateWords = useRateWords();
  const id = useId();
  const rateError = errors[`rate_limits.${name}.rate`];
  const periodError = errors[`rate_limits.${name}.period`];
  const whole = errors[`rate_limits.${name}`];
  const isDefault = defaultRate && value.rate.trim() === String(defaultRate.rate) && value.period === defaultRate.period;
  const described = (own?: string) => [`${id}-about`, own, whole && `${id}-error`].filter(Boolean).join(' ');
  return (
    <fieldset className="border-t border-ink/10 pt-4 first:border-0 first:pt-0">
      <legend className="float-left w-full font-medium">{t(`rates.names.${name}`, { defaultValue: name })}</legend>
      <p id={`${id}-about`} className="clear-left pt-0.5 text-sm text-muted">
        {t(`rates.protects.${name}`, { defaultValue: '' })}
        {defaultRate && ` ${t('rates.default', { rate: rateWords(defaultRate) })}`}
      </p>
      <div className="mt-1 flex flex-wrap items-start gap-x-4 gap-y-2">
        <div>
          <label htmlFor={`${id}-rate`} className="block text-sm text-muted">
            {t('rates.attempts')}
          </label>
          <input
            id={`${id}-rate`}
            name={`rate_limits.${name}.rate`}
            inputMode="numeric"
            value={value.rate}
            onChange={(e) => onChange(e.target.value, value.period)}
            aria-invalid={rateError ? true : undefined}
            aria-describedby={described(rateError ? `${id}-rate-error` : undefined)}
            className={`${control(rateError)} mt-0.5 w-28 tabular-nums`}
          />
        </div>
        <div>
          <label htmlFor={`${id}-period`} className="block text-sm text-muted">
            {t('rates.per')}
          </label>
          <select
            id={`${id}-period`}
            name={`rate_limits.${name}.period`}
            value={value.period}
            onChange={(e) => onChange(value.rate, e.target.value as Period)}
            aria-invalid={periodError ? true : undefined}
            aria-describedby={described(periodError ? `${id}-period-error` : undefined)}
            className={`${control(periodError)} mt-0.5 w-36`}
          >
            {periods.map((p) => (
              <option key={p} value={p}>
                {t(`rates.periods.${p}`)}
              </option>
            ))}
          </select>
        </div>
        {defaultRate && !isDefault && (
          <button
            type="button"
            onClick={() => onChange(String(defaultRate.rate), defaultRate.period)}
            className={`mt-6 py-2.5 text-sm ${link}`}
          >
            {t('rates.useDefault')}
          </button>
        )}
      </div>
      <ErrorText id={`${id}-rate-error`} error={rateError} />
      <ErrorText id={`${id}-period-error`} error={periodError} />
      <ErrorText id={`${id}-error`} error={whole} />
    </fieldset>
  );
}

/** An on/off switch: a button that says whether it is on (role="switch"). */
function Switch({
  label,
  description,
  checked,
  onChange,
  error,
}: {
  label: string;
  description?: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  error?: string;
}) {
  const { t } = useTranslation('system');
  const id = useId();
  return (
    <div className="flex items-start justify-between gap-6">
      <div>
        <p id={`${id}-label`} className="font-medium">
          {label}
        </p>
        {description && (
          <p id={`${id}-about`} className="mt-0.5 text-sm text-muted">
            {description}
          </p>
        )}
        <ErrorText id={`${id}-error`} error={error} />
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={[description && `${id}-about`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        onClick={() => onChange(!checked)}
        className="inline-flex shrink-0 items-center gap-2 text-sm"
      >
        <span
          aria-hidden="true"
          className={`relative inline-block h-6 w-11 rounded-full transition-colors ${checked ? 'bg-accent' : 'bg-ink/25'}`}
        >
          <span
            className={`absolute left-0 top-0.5 size-5 rounded-full bg-surface shadow transition-transform motion-reduce:transition-none ${checked ? 'translate-x-5.5' : 'translate-x-0.5'}`}
          />
        </span>
        <span aria-hidden="true" className="w-7 text-left">
          {checked ? t('features.on') : t('features.off')}
        </span>
      </button>
    </div>
  );
}
