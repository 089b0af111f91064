// Invitations: made here (the link is shown once: the server keeps only a
// hash of its code), listed with where each stands, withdrawn while unused.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { buttonStyle, Field, FormMessage, Spinner, SubmitButton } from '../../components/form';
import { QueryError } from '../../components/query-error';
import { useSession } from '../../features/auth/session';
import { dateLocale, formatInstant } from '../../lib/calendar-date';
import { problemWords } from '../../lib/problem-words';
import { useCreateInvite, useInvites, useRevokeInvite, type Invite, type NewInvite, type Registration } from './api';
import { Dialog } from './dialog';
import { Section } from './section';
import { useServerErrors } from './settings-editor';
import { defaultInviteDays, inviteBody, limits, validateInvite, type InviteForm } from './settings-form';

function useInstant(): (iso: string, withTime?: boolean) => string {
  const { i18n } = useTranslation();
  const { user } = useSession();
  const locale = dateLocale(i18n.language);
  return (iso, withTime = false) =>
    formatInstant(iso, locale, user?.timezone, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
}

export function Invitations({ registration }: { registration: Registration }) {
  const { t } = useTranslation('system');
  const [made, setMade] = useState<NewInvite>();
  return (
    <Section
      id="invitations"
      title={t('invites.title')}
      intro={`${t('invites.intro')} ${registration === 'invite_only' ? t('invites.inviteOnlyNow') : t('invites.openNow')}`}
    >
      {made ? <NewInviteLink invite={made} onDone={() => setMade(undefined)} /> : <CreateInvite onMade={setMade} />}
      <InviteList />
    </Section>
  );
}

function CreateInvite({ onMade }: { onMade: (invite: NewInvite) => void }) {
  const { t } = useTranslation('system');
  const create = useCreateInvite();
  const serverErrors = useServerErrors();
  const [form, setForm] = useState<InviteForm>({ email: '', days: String(defaultInviteDays) });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const ref = useRef<HTMLFormElement>(null);
  const heading = useId();

  useEffect(() => {
    if (attempt === 0) return;
    const f = ref.current;
    (f?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? f?.querySelector<HTMLElement>('[data-form-message]'))?.focus();
  }, [attempt]);

  function fail(fields: Record<string, string>, text?: string) {
    const known = ['email', 'expires_in_days'];
    setErrors(Object.fromEntries(Object.entries(fields).filter(([k]) => known.includes(k))));
    const other = Object.entries(fields).filter(([k]) => !known.includes(k)).map(([, m]) => m);
    setMessage([text, ...other].filter(Boolean).join(' ') || undefined);
    setAttempt((n) => n + 1);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (create.isPending) return;
    const problems = validateInvite(form);
    if (Object.keys(problems).length) {
      fail(Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(`errors.${p.code}`, p)])));
      return;
    }
    setErrors({});
    setMessage(undefined);
    create.mutate(inviteBody(form), {
      onSuccess: (invite) => {
        setForm({ email: '', days: String(defaultInviteDays) });
        onMade(invite);
      },
      onError: (error) => {
        const fields = serverErrors(error);
        fail(fields, Object.keys(fields).length ? undefined : problemWords(error, t));
      },
    });
  }

  return (
    <form ref={ref} onSubmit={submit} noValidate aria-labelledby={heading} className="space-y-4">
      <h3 id={heading} className="font-serif text-lg">{t('invites.create')}</h3>
      <FormMessage>{message}</FormMessage>
      <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Field
          label={t('invites.email')}
          hint={t('invites.emailHint')}
          name="email"
          type="email"
          autoComplete="off"
          maxLength={limits.email}
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={errors.email}
        />
        <Field
          label={t('invites.days')}
          hint={t('invites.daysHint')}
          name="expires_in_days"
          inputMode="numeric"
          value={form.days}
          onChange={(e) => setForm({ ...form, days: e.target.value })}
          error={errors.expires_in_days}
          className="max-w-40"
        />
      </div>
      <SubmitButton pending={create.isPending} kind="quiet">
        {t('invites.submit')}
      </SubmitButton>
    </form>
  );
}

/** The new invitation's link, shown this once, with a way to copy it. */
function NewInviteLink({ invite, onDone }: { invite: NewInvite; onDone: () => void }) {
  const { t } = useTranslation('system');
  const instant = useInstant();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<'copied' | 'failed'>();

  // The link is what the admin came for: it gets focus, and a screen reader reads its heading.
  useEffect(() => heading.current?.focus(), []);

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(invite.link);
      setCopy('copied');
    } catch {
      // No clipboard (an insecure origin, a refusal): select the link for the keyboard's copy.
      input.current?.focus();
      input.current?.select();
      setCopy('failed');
    }
  }

  const expires = instant(invite.expires_at, true);
  return (
    <div className="rounded-xl border border-accent/40 bg-accent/5 p-4">
      <h3 ref={heading} tabIndex={-1} className="font-serif text-lg">
        {t('invites.newTitle')}
      </h3>
      <p className="mt-1">{invite.email ? t('invites.newFor', { email: invite.email, date: expires }) : t('invites.newForAnyone', { date: expires })}</p>
      <p className="mt-1 font-semibold">{t('invites.onlyOnce')}</p>
      <label htmlFor={`${id}-link`} className="mt-3 block text-sm font-medium">
        {t('invites.link')}
      </label>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          ref={input}
          id={`${id}-link`}
          readOnly
          value={invite.link}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-lg border border-ink/30 bg-surface px-3 py-2.5 font-mono text-sm"
        />
        <button type="button" onClick={() => void copyLink()} className={buttonStyle('primary')}>
          {t('invites.copy')}
        </button>
        <button type="button" onClick={onDone} className={buttonStyle('quiet')}>
          {t('invites.done')}
        </button>
      </div>
      <p aria-live="polite" className={`mt-2 text-sm ${copy === 'failed' ? 'text-danger' : 'text-muted'}`}>
        {copy === 'copied' ? t('invites.copied') : copy === 'failed' ? t('invites.copyFailed') : ''}
      </p>
    </div>
  );
}

function InviteList() {
  const { t } = useTranslation('system');
  const instant = useInstant();
  const query = useInvites();
  const revoke = useRevokeInvite();
  const [asked, setAsked] = useState<Invite>();
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const id = useId();
  const who = (i: Invite) => i.email ?? t('invites.anyone');

  function withdraw(invite: Invite) {
    revoke.mutate(invite.id, {
      onSuccess: () => setStatus({ text: t('invites.revoked', { who: who(invite) }) }),
      onError: (error) =>
        setStatus({
          text: error instanceof ApiError && error.status === 409 ? t('invites.usedAlready') : problemWords(error, t),
          error: true,
        }),
      onSettled: () => setAsked(undefined),
    });
  }

  const items = query.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  return (
    <div>
      <h3 id={id} className="font-serif text-lg">
        {t('invites.list')}
      </h3>
      <p aria-live="polite" className={`mt-1 text-sm ${status?.error ? 'text-danger' : 'text-muted'}`}>
        {status?.text}
      </p>
      {query.isPending ? (
        <p className="mt-2 text-muted">
          <Spinner />
          <span className="sr-only">{t('loading', { ns: 'common' })}</span>
        </p>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <p className="mt-2 text-muted">{t('invites.empty')}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table aria-labelledby={id} className="w-full text-sm">
            <thead>
              <tr className="border-b border-ink/10 text-left">
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t('invites.for')}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t('invites.created')}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t('invites.expires')}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t('invites.status')}
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">{t('invites.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} className="border-b border-ink/5 last:border-0">
                  <th scope="row" className={`py-2 pr-4 text-left font-normal ${i.email ? '' : 'text-muted'}`}>
                    {who(i)}
                  </th>
                  <td className="py-2 pr-4">{instant(i.created_at)}</td>
                  <td className="py-2 pr-4">{instant(i.expires_at)}</td>
                  <td className="py-2 pr-4">
                    {i.status === 'used' && i.used_at ? t('invites.usedOn', { date: instant(i.used_at) }) : t(`invites.states.${i.status}`)}
                  </td>
                  <td className="py-2 text-right">
                    {i.status === 'pending' && (
                      <button
                        type="button"
                        onClick={() => setAsked(i)}
                        aria-label={t('invites.revokeLabel', { who: who(i) })}
                        className="rounded-md px-2 py-1 text-danger underline decoration-danger/40 underline-offset-4 hover:bg-danger/5"
                      >
                        {t('invites.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          onClick={() => void query.fetchNextPage()}
          aria-disabled={query.isFetchingNextPage || undefined}
          className={`mt-3 ${buttonStyle('quiet')}`}
        >
          {query.isFetchingNextPage && <Spinner />}
          {t('invites.more')}
        </button>
      )}
      <Dialog
        open={!!asked}
        title={t('invites.revokeTitle')}
        onClose={() => !revoke.isPending && setAsked(undefined)}
        actions={
          <>
            <button type="button" className={buttonStyle('quiet')} onClick={() => !revoke.isPending && setAsked(undefined)}>
              {t('invites.cancel')}
            </button>
            <button
              type="button"
              className={buttonStyle('danger')}
              aria-disabled={revoke.isPending || undefined}
              onClick={() => asked && !revoke.isPending && withdraw(asked)}
            >
              {revoke.isPending && <Spinner />}
              {t('invites.revokeConfirm')}
            </button>
          </>
        }
      >
        <p>{asked && t('invites.revokeBody', { who: who(asked) })}</p>
      </Dialog>
    </div>
  );
}
