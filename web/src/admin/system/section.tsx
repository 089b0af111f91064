import { useId, type ReactNode } from 'react';

/** One group of the settings page: a titled card. */
export function Section({ title, intro, children, id }: { title: string; intro?: ReactNode; children: ReactNode; id?: string }) {
  const heading = useId();
  return (
    <section id={id} aria-labelledby={heading} className="scroll-mt-6 rounded-2xl border border-ink/10 bg-surface p-5 sm:p-7">
      <h2 id={heading} className="font-serif text-xl">
        {title}
      </h2>
      {intro && <p className="mt-1 text-muted">{intro}</p>}
      <div className="mt-5 space-y-5">{children}</div>
    </section>
  );
}
