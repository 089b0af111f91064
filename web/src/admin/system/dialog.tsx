import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the browser's own <dialog>: it keeps focus inside,
 * closes with Escape (onClose), and gives focus back to the control that
 * opened it when it closes.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  actions,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** The buttons, the one to press first first. */
  actions: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onClose={() => open && onClose()}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-2xl border border-ink/10 bg-surface p-6 text-ink shadow-xl backdrop:bg-ink/40"
    >
      {open && (
        <>
          <h2 id={`${id}-title`} className="font-serif text-2xl">
            {title}
          </h2>
          <div className="mt-3 space-y-3">{children}</div>
          <div className="mt-6 flex flex-wrap gap-3">{actions}</div>
        </>
      )}
    </dialog>
  );
}
