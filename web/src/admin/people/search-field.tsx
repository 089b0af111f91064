import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebouncedValue } from '../../features/discover/hooks/use-debounced-value';

/**
 * The search words of a list page, kept in the URL (?q=) so that a search
 * can be shared and Back returns to it: typing updates the URL once per
 * pause, and the box follows the URL when it changes otherwise.
 */
export function useSearchQuery(): [q: string, text: string, setText: (text: string) => void] {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const settled = useDebouncedValue(text.trim(), 300);
  // The words this box last put in the URL: a change to anything else came from elsewhere (Back, a link).
  const ours = useRef(q);

  useEffect(() => {
    if (q !== ours.current) {
      ours.current = q;
      setText(q);
    }
  }, [q]);

  useEffect(() => {
    if (settled === q) return;
    ours.current = settled;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (settled) next.set('q', settled);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
    // q is left out on purpose: only the settled words change the URL.
  }, [settled]);

  return [q, text, setText];
}

/** A labelled search box for a list. */
export function SearchField({ label, value, onChange, placeholder }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string }) {
  const id = useId();
  return (
    <div role="search" className="max-w-md">
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        className="mt-1.5 block w-full rounded-lg border border-ink/30 bg-surface px-3 py-2.5 text-base shadow-xs focus:border-accent"
      />
    </div>
  );
}
