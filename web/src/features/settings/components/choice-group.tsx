import type { ReactNode } from 'react';

interface Choice<T extends string> {
  value: T;
  label: string;
  /** Shown above the label: a swatch, a sample. */
  preview?: ReactNode;
}

/** A set of radio buttons shown as cards: one choice of a few, taking effect at once. */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  hint,
}: {
  legend: string;
  name: string;
  choices: Choice<T>[];
  value: T;
  onChange: (value: T) => void;
  hint?: ReactNode;
}) {
  return (
    <fieldset>
      <legend className="font-medium">{legend}</legend>
      {hint && <p className="mt-0.5 text-sm text-muted">{hint}</p>}
      <div className="mt-2.5 grid grid-cols-2 gap-2 sm:grid-cols-4">
        {choices.map((choice) => (
          <label
            key={choice.value}
            className="flex cursor-pointer flex-col items-center gap-2 rounded-xl border border-ink/15 p-3 text-center transition-colors hover:bg-ink/5 has-checked:border-accent has-checked:bg-accent/10 has-checked:font-medium has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent"
          >
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              className="sr-only"
            />
            {choice.preview}
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
