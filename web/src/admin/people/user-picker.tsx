import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { closed, comboboxKey, typed, type ComboboxState } from '../../features/discover/combobox';
import { useDebouncedValue } from '../../features/discover/hooks/use-debounced-value';
import { useUser, useUsers, type AdminUser } from './api';

export interface PickedUser {
  id: string;
  email: string;
  display_name?: string;
}

interface UserPickerProps {
  label: string;
  /** The chosen user's id, or null. */
  value: string | null;
  onChange: (user: PickedUser | null) => void;
  /** The words of the button that clears the choice ("Unlink"). */
  clear: string;
  error?: string;
  hint?: string;
}

/**
 * Chooses a user by typing part of their email address or name: a
 * combobox (arrows move through the matches, Enter picks one, Escape
 * closes the list) that shows the chosen user with a button to clear it.
 */
export function UserPicker({ label, value, onChange, clear, error, hint }: UserPickerProps) {
  const { t } = useTranslation('people');
  const id = useId();
  const [text, setText] = useState('');
  const [combo, setCombo] = useState<ComboboxState>(closed);
  const input = useRef<HTMLInputElement>(null);
  const [cleared, setCleared] = useState(false);
  // After clearing the choice, the search box that replaces it gets the focus.
  useEffect(() => {
    if (cleared && !value) input.current?.focus();
  }, [cleared, value]);
  const chosen = useUser(value ?? undefined);
  const q = useDebouncedValue(text.trim(), 250);
  const users = useUsers(q, 8);
  const items: AdminUser[] = q ? (users.data?.pages[0]?.items ?? []) : [];
  const shown = combo.open && q !== '';
  const optionId = (i: number) => `${id}-option-${i}`;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

  function choose(i: number) {
    const user = items[i];
    setCombo(closed);
    if (!user) return;
    setText('');
    setCleared(false);
    onChange({ id: user.id, email: user.email, display_name: user.display_name });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const out = comboboxKey(combo, event.key, items.length);
    if (out.handled) event.preventDefault();
    setCombo(out.state);
    if (out.choose !== undefined) choose(out.choose);
    if (out.clear) setText('');
  }

  return (
    // With a choice made, the field is a group of the choice and its
    // button; an error about it (from the server) marks the group, which
    // takes the focus after a failed save.
    <div
      role={value ? 'group' : undefined}
      aria-labelledby={value ? `${id}-label` : undefined}
      aria-describedby={value ? described : undefined}
      aria-invalid={value && error ? true : undefined}
      tabIndex={value && error ? -1 : undefined}
    >
      {value ? (
        <p id={`${id}-label`} className="block font-medium">
          {label}
        </p>
      ) : (
        <label htmlFor={`${id}-input`} className="block font-medium">
          {label}
        </label>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-sm text-muted">
          {hint}
        </p>
      )}
      {value ? (
        <div className={`mt-1.5 flex flex-wrap items-center gap-3 rounded-lg border bg-surface px-3 py-2.5 ${error ? 'border-danger' : 'border-ink/20'}`}>
          <span className="min-w-0 flex-1">
            {chosen.data ? (
              <>
                <span className="font-medium">{chosen.data.email}</span>
                {chosen.data.display_name && <span className="text-muted"> · {chosen.data.display_name}</span>}
              </>
            ) : chosen.isError ? (
              <span className="text-muted">{t('picker.unknown', { id: value })}</span>
            ) : (
              <span className="text-muted">{t('picker.loading')}</span>
            )}
          </span>
          <button
            type="button"
            aria-describedby={described}
            onClick={() => {
              setCleared(true);
              onChange(null);
            }}
            className="text-accent underline decoration-accent/40 underline-offset-4 hover:decoration-accent"
          >
            {clear}
          </button>
        </div>
      ) : (
        <div className="relative mt-1.5">
          <input
            ref={input}
            id={`${id}-input`}
            type="search"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={shown}
            aria-controls={`${id}-list`}
            aria-activedescendant={shown && combo.active >= 0 ? optionId(combo.active) : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            autoComplete="off"
            spellCheck={false}
            placeholder={t('picker.placeholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setCombo(typed());
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setCombo(closed)}
            className={`block w-full rounded-lg border bg-surface px-3 py-2.5 text-base shadow-xs focus:border-accent ${error ? 'border-danger' : 'border-ink/30'}`}
          />
          <ul
            id={`${id}-list`}
            role="listbox"
            aria-label={t('picker.matches')}
            hidden={!shown}
            className="absolute inset-x-0 top-full z-20 mt-1 max-h-72 overflow-auto rounded-lg border border-ink/10 bg-surface py-1 shadow-lg"
          >
            {items.map((user, i) => (
              <li
                key={user.id}
                id={optionId(i)}
                role="option"
                aria-selected={combo.active === i}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(i)}
                className={`cursor-pointer px-3 py-2 hover:bg-ink/5 ${combo.active === i ? 'bg-accent/10' : ''}`}
              >
                <span className="font-medium">{user.email}</span>
                {user.display_name && <span className="text-muted"> · {user.display_name}</span>}
              </li>
            ))}
            {items.length === 0 && (
              <li role="presentation" className="px-3 py-2 text-muted">
                {users.isFetching ? t('picker.loading') : t('picker.none')}
              </li>
            )}
          </ul>
          <p role="status" className="sr-only">
            {shown && !users.isFetching ? t('picker.count', { count: items.length }) : ''}
          </p>
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1.5 text-sm text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
