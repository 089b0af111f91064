import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { Spinner } from '../../../components/spinner';
import { useSession } from '../session';

const authPages = ['/sign-in', '/sign-up', '/forgot-password', '/reset-password', '/verify-email'];

const itemStyle = 'flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left hover:bg-ink/5 focus-visible:bg-ink/5';

/** The header's account corner: "Sign in" for visitors; the person's name and a menu once signed in. */
export function AccountMenu() {
  const { t } = useTranslation();
  const { status, user, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent | FocusEvent) => {
      if (!frame.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('focusin', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('focusin', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  if (status === 'loading') return <span aria-hidden="true" className="block h-9 w-24 animate-pulse rounded-lg bg-ink/5" />;

  if (!user) {
    const here = location.pathname + location.search;
    const next = authPages.includes(location.pathname) || here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
    return (
      <Link to={`/sign-in${next}`} className="rounded-lg border border-ink/15 px-3 py-1.5 font-medium hover:bg-ink/5">
        {t('account.signIn')}
      </Link>
    );
  }

  async function leave() {
    setLeaving(true);
    try {
      await signOut();
    } finally {
      setLeaving(false);
      setOpen(false);
      void navigate('/');
    }
  }

  return (
    <div ref={frame} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t('account.menu', { name: user.display_name })}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-full py-1 pl-1 pr-2 hover:bg-ink/5 sm:pr-3"
      >
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-accent/15 font-serif font-semibold text-accent">
          {Array.from(user.display_name.trim())[0]?.toUpperCase() ?? '·'}
        </span>
        <span className="hidden max-w-40 truncate sm:inline">{user.display_name}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className={`size-4 text-muted transition-transform ${open ? 'rotate-180' : ''}`}>
          <path fill="currentColor" d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
      {open && (
        <div id={menuId} className="absolute right-0 z-20 mt-2 w-56 rounded-xl border border-ink/10 bg-surface p-1.5 shadow-lg">
          <p className="truncate px-3 pb-2 pt-1.5 text-sm text-muted">{user.email}</p>
          <ul className="border-t border-ink/10 pt-1.5">
            <li>
              <Link to="/settings" className={itemStyle}>
                {t('account.settings')}
              </Link>
            </li>
            <li>
              <button type="button" onClick={() => void leave()} aria-disabled={leaving || undefined} className={itemStyle}>
                {leaving && <Spinner />}
                {leaving ? t('account.signingOut') : t('account.signOut')}
              </button>
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
