import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { suggestFrom, useSuggestions } from '../api/use-suggestions';
import { closed, comboboxKey, typed, type ComboboxState } from '../combobox';
import { useDebouncedValue } from '../hooks/use-debounced-value';

/**
 * The search box: a combobox that suggests plans while typing (arrows to
 * move, Enter to open the plan, Escape to close) and searches the whole
 * catalogue for the words when submitted.
 */
export function SearchBox({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation('discover');
  const navigate = useNavigate();
  const id = useId();
  const [text, setText] = useState(q);
  const [combo, setCombo] = useState<ComboboxState>(closed);

  // Back and forward change the search in the URL: the box follows.
  useEffect(() => setText(q), [q]);

  const suggestions = useSuggestions(useDebouncedValue(text, 200));
  const items = text.trim().length >= suggestFrom ? (suggestions.data ?? []) : [];
  const shown = combo.open && items.length > 0;
  const optionId = (i: number) => `${id}-option-${i}`;

  function choose(i: number) {
    const plan = items[i];
    setCombo(closed);
    if (plan) void navigate(`/plans/${plan.slug}`);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const out = comboboxKey(combo, event.key, items.length);
    if (out.handled) event.preventDefault();
    setCombo(out.state);
    if (out.choose !== undefined) choose(out.choose);
    if (out.clear) setText('');
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCombo(closed);
    onSearch(text);
  }

  return (
    <form role="search" onSubmit={onSubmit} className="relative mt-6 flex gap-2">
      <label htmlFor={`${id}-input`} className="sr-only">
        {t('search.label')}
      </label>
      <div className="relative min-w-0 flex-1">
        <SearchIcon />
        <input
          id={`${id}-input`}
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={`${id}-list`}
          aria-activedescendant={shown && combo.active >= 0 ? optionId(combo.active) : undefined}
          autoComplete="off"
          enterKeyHint="search"
          spellCheck={false}
          value={text}
          placeholder={t('search.placeholder')}
          onChange={(e) => {
            setText(e.target.value);
            setCombo(typed());
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setCombo(closed)}
          className="block h-12 w-full rounded-xl border border-ink/20 bg-surface pl-10 pr-3 text-base shadow-xs placeholder:text-muted/80 focus:border-accent [&::-webkit-search-cancel-button]:appearance-none"
        />
      </div>
      <button
        type="submit"
        className="h-12 shrink-0 rounded-xl bg-accent px-4 font-medium text-paper transition-colors hover:bg-[color-mix(in_srgb,var(--color-accent)_85%,var(--color-ink))] sm:px-6"
      >
        {t('search.submit')}
      </button>
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t('search.suggestions')}
        hidden={!shown}
        className="absolute inset-x-0 top-full z-20 mt-1 overflow-hidden rounded-xl border border-ink/10 bg-surface py-1 shadow-lg"
      >
        {items.map((item, i) => (
          <li
            key={item.slug}
            id={optionId(i)}
            role="option"
            aria-selected={combo.active === i}
            // Keep the focus in the box: a click must not blur it before it lands.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(i)}
            className={`cursor-pointer px-4 py-2.5 font-serif text-lg hover:bg-ink/5 ${combo.active === i ? 'bg-accent/10' : ''}`}
          >
            {item.title}
          </li>
        ))}
      </ul>
      <p role="status" className="sr-only">
        {shown ? t('search.suggestionCount', { count: items.length }) : ''}
      </p>
    </form>
  );
}

function SearchIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      className="pointer-events-none absolute left-3.5 top-1/2 size-5 -translate-y-1/2 text-muted"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
    >
      <circle cx="8.5" cy="8.5" r="5.5" />
      <path d="m13 13 4 4" />
    </svg>
  );
}
