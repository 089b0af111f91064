import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { buttonStyle, FormMessage, SubmitButton } from '../../components/form';
import { PageSkeleton } from '../../components/page-skeleton';
import { QueryError } from '../../components/query-error';
import { useSession } from '../../features/auth/session';
import { fieldErrors, problemWords } from '../../lib/problem-words';
import { When } from '../audit/when';
import { roles, useRevokeSessions, useUpdateUser, useUser, type AdminUserDetail, type Role } from './api';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { linkStyle, StatusPill } from './ui';

/** /admin/users/:id: a user's account, role and access, and their sessions. */
export function Component() {
  const { id = '' } = useParams();
  const { t } = useTranslation('people');
  const { t: ta } = useTranslation('admin');
  const user = useUser(id);

  const back = (
    <p>
      <Link to="/users" className={linkStyle}>
        {t('user.back')}
      </Link>
    </p>
  );
  if (user.isPending) return <PageSkeleton />;
  if (user.isError) {
    const missing = user.error instanceof ApiError && user.error.status === 404;
    return (
      <section>
        <title>{`${t('users.title')} · ${ta('name')}`}</title>
        {back}
        {missing ? (
          <>
            <h1 className="mt-4 font-serif text-3xl">{t('user.missingTitle')}</h1>
            <p className="mt-3 text-muted">{t('user.missingBody')}</p>
          </>
        ) : (
          <div className="mt-4">
            <QueryError error={user.error} onRetry={() => void user.refetch()} />
          </div>
        )}
      </section>
    );
  }
  return (
    <article aria-labelledby="user-title">
      <title>{`${user.data.email} · ${ta('name')}`}</title>
      {back}
      <UserDetails user={user.data} />
    </article>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 border-b border-ink/10 py-2.5 last:border-b-0 sm:grid-cols-[11rem_1fr] sm:gap-4">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function UserDetails({ user }: { user: AdminUserDetail }) {
  const { t } = useTranslation('people');
  const { user: me } = useSession();
  const self = me?.id === user.id;
  // What the last action did, announced.
  const [done, setDone] = useState('');

  return (
    <>
      <header className="mt-4">
        <h1 id="user-title" className="font-serif text-3xl break-all">
          {user.email}
        </h1>
        <p className="mt-2 flex flex-wrap items-center gap-3">
          {user.display_name && <span>{user.display_name}</span>}
          <span className="text-muted">{t(`role.${user.role}`)}</span>
          <StatusPill disabled={user.disabled} verified={user.email_verified} />
        </p>
      </header>
      {self && <p className="mt-4 rounded-lg border border-ink/20 bg-ink/5 px-4 py-3">{t('user.self')}</p>}
      <p role="status" className="mt-4 rounded-lg border border-accent/30 bg-accent/10 px-4 py-3 empty:hidden">
        {done}
      </p>

      <section aria-labelledby="user-account" className="mt-8">
        <h2 id="user-account" className="font-serif text-2xl">
          {t('user.account')}
        </h2>
        <dl className="mt-3 rounded-xl border border-ink/10 bg-surface px-5">
          <Row label={t('users.email')}>
            {user.email} <span className="text-muted">· {user.email_verified ? t('user.verified') : t('status.unverified')}</span>
          </Row>
          <Row label={t('users.name')}>{user.display_name || <span className="text-muted">—</span>}</Row>
          <Row label={t('users.created')}>
            <When at={user.created_at} />
          </Row>
          <Row label={t('user.lastSeen')}>{user.last_seen_at ? <When at={user.last_seen_at} /> : <span className="text-muted">{t('user.neverSeen')}</span>}</Row>
          <Row label={t('user.languageZone')}>
            {user.locale} · {user.timezone}
          </Row>
        </dl>
      </section>

      <RoleForm user={user} self={self} onDone={setDone} />
      <Access user={user} self={self} onDone={setDone} />
      <Sessions user={user} self={self} onDone={setDone} />

      <section aria-labelledby="user-audit" className="mt-8">
        <h2 id="user-audit" className="font-serif text-2xl">
          {t('user.auditTitle')}
        </h2>
        <ul className="mt-3 space-y-2">
          <li>
            <Link to={`/audit?target_type=user&target_id=${encodeURIComponent(user.id)}`} className={linkStyle}>
              {t('user.auditAbout')}
            </Link>
          </li>
          <li>
            <Link to={`/audit?actor_id=${encodeURIComponent(user.id)}`} className={linkStyle}>
              {t('user.auditBy')}
            </Link>
          </li>
        </ul>
      </section>
    </>
  );
}

const rank: Record<Role, number> = { user: 0, author: 1, admin: 2 };

function RoleForm({ user, self, onDone }: { user: AdminUserDetail; self: boolean; onDone: (message: string) => void }) {
  const { t } = useTranslation('people');
  const id = useId();
  const update = useUpdateUser(user.id);
  const [role, setRole] = useState<Role>(user.role);
  const [confirming, setConfirming] = useState(false);
  const error = update.isError ? roleError(update.error) : undefined;

  function roleError(e: unknown): { field?: string; message?: string } {
    if (e instanceof ApiError && e.status === 403) return { field: t('user.roleSelf') };
    const fields = fieldErrors(e);
    if (fields.role) return { field: fields.role };
    return { message: problemWords(e, t) };
  }

  function save() {
    setConfirming(false);
    update.mutate({ role }, { onSuccess: (u) => onDone(t('user.roleChanged', { role: t(`role.${u.role}`) })) });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (update.isPending || role === user.role) return;
    // Demoting an admin takes away the keys to this panel: ask first (not
    // for oneself, which the server refuses: its answer says so at once).
    if (!self && user.role === 'admin' && rank[role] < rank.admin) setConfirming(true);
    else save();
  }

  return (
    <section aria-labelledby={`${id}-title`} className="mt-8">
      <h2 id={`${id}-title`} className="font-serif text-2xl">
        {t('user.roleTitle')}
      </h2>
      <p className="mt-1 text-muted">{t('user.roleHint')}</p>
      <form onSubmit={onSubmit} className="mt-3 space-y-3" noValidate>
        <FormMessage>{error?.message}</FormMessage>
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor={id} className="block font-medium">
              {t('users.role')}
            </label>
            <select
              id={id}
              name="role"
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role);
                update.reset();
              }}
              aria-invalid={error?.field ? true : undefined}
              aria-describedby={error?.field ? `${id}-error` : undefined}
              className={`mt-1.5 block rounded-lg border bg-surface px-3 py-2.5 text-base ${error?.field ? 'border-danger' : 'border-ink/30'}`}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <SubmitButton pending={update.isPending} kind={role === user.role ? 'quiet' : 'primary'}>
            {t('user.saveRole')}
          </SubmitButton>
        </div>
        {error?.field && (
          <p id={`${id}-error`} role="alert" className="text-sm text-danger">
            {error.field}
          </p>
        )}
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('user.demoteTitle')}
        body={t('user.demoteBody', { email: user.email, role: t(`role.${role}`) })}
        confirm={t('user.demoteConfirm', { role: t(`role.${role}`) })}
        cancel={t('cancel')}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={save}
      />
    </section>
  );
}

function Access({ user, self, onDone }: { user: AdminUserDetail; self: boolean; onDone: (message: string) => void }) {
  const { t } = useTranslation('people');
  const id = useId();
  const update = useUpdateUser(user.id);
  const [confirming, setConfirming] = useState(false);
  const disable = !user.disabled;
  const problem = update.isError
    ? update.error instanceof ApiError && update.error.status === 403
      ? t('user.disableSelf')
      : problemWords(update.error, t)
    : undefined;

  return (
    <section aria-labelledby={`${id}-title`} className="mt-8">
      <h2 id={`${id}-title`} className="font-serif text-2xl">
        {t('user.accessTitle')}
      </h2>
      <p className="mt-1 text-muted">{user.disabled ? t('user.disabledNow') : t('user.enabledNow')}</p>
      <button
        type="button"
        onClick={() => {
          update.reset();
          setConfirming(true);
        }}
        aria-describedby={problem ? `${id}-error` : undefined}
        className={`mt-3 ${buttonStyle(disable ? 'danger' : 'primary')}`}
      >
        {disable ? t('user.disable') : t('user.enable')}
      </button>
      {problem && (
        <p id={`${id}-error`} role="alert" className="mt-2 text-sm text-danger">
          {problem}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title={disable ? t('user.disableTitle', { email: user.email }) : t('user.enableTitle', { email: user.email })}
        body={disable ? (self ? t('user.disableBodySelf') : t('user.disableBody')) : t('user.enableBody')}
        confirm={disable ? t('user.disable') : t('user.enable')}
        cancel={t('cancel')}
        danger={disable}
        pending={update.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          update.mutate(
            { disabled: disable },
            {
              onSuccess: (u) => onDone(u.disabled ? t('user.disabledDone', { email: u.email }) : t('user.enabledDone', { email: u.email })),
              onSettled: () => setConfirming(false),
            },
          )
        }
      />
    </section>
  );
}

function Sessions({ user, self, onDone }: { user: AdminUserDetail; self: boolean; onDone: (message: string) => void }) {
  const { t } = useTranslation('people');
  const id = useId();
  const revoke = useRevokeSessions(user.id);
  const [confirming, setConfirming] = useState(false);

  return (
    <section aria-labelledby={`${id}-title`} className="mt-8">
      <h2 id={`${id}-title`} className="font-serif text-2xl">
        {t('user.sessionsTitle')}
      </h2>
      <p className="mt-1">{t('user.sessions', { count: user.sessions })}</p>
      <p className="mt-1 text-muted">{t('user.sessionsHint')}</p>
      <button
        type="button"
        onClick={() => {
          revoke.reset();
          setConfirming(true);
        }}
        aria-describedby={revoke.isError ? `${id}-error` : undefined}
        className={`mt-3 ${buttonStyle('quiet')}`}
      >
        {t('user.revoke')}
      </button>
      {revoke.isError && (
        <p id={`${id}-error`} role="alert" className="mt-2 text-sm text-danger">
          {problemWords(revoke.error, t)}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('user.revokeTitle', { email: user.email })}
        body={self ? t('user.revokeBodySelf') : t('user.revokeBody')}
        confirm={t('user.revoke')}
        cancel={t('cancel')}
        pending={revoke.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          revoke.mutate(undefined, {
            onSuccess: (r) => onDone(t('user.revoked', { count: r.revoked, email: user.email })),
            onSettled: () => setConfirming(false),
          })
        }
      />
    </section>
  );
}
