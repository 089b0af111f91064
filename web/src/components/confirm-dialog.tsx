import { useEffect, useId, useRef, type ReactNode } from 'react';
import { buttonStyle, Spinner } from './form';

/**
 * A question asked before something that matters or is hard to undo
 * (leaving a plan, publishing, demoting an admin, deleting a draft), in the
 * browser's own modal dialog: focus moves into it (onto Cancel), Escape
 * cancels, the page behind waits.
 */
export function ConfirmDialog({
  open,
  title,
  body,
  confirm,
  cancel,
  onConfirm,
  onCancel,
  pending = false,
  danger = false,
  children,
}: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirm: string;
  cancel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirmed action is under way: the confirm button shows it and refuses a second press. */
  pending?: boolean;
  danger?: boolean;
  /** More to show under the question (an error of the last try). */
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onCancel}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-ink/10 bg-surface p-6 text-ink shadow-xl backdrop:bg-ink/40"
    >
      <h2 id={`${id}-title`} className="font-serif text-xl">
        {title}
      </h2>
      <div id={`${id}-body`} className="mt-2 text-muted">
        {body}
      </div>
      {children}
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <button type="button" onClick={onCancel} className={buttonStyle('quiet')} autoFocus>
          {cancel}
        </button>
        <button
          type="button"
          onClick={() => !pending && onConfirm()}
          aria-disabled={pending || undefined}
          className={`${buttonStyle(danger ? 'danger' : 'primary')} ${pending ? 'cursor-progress opacity-80' : ''}`}
        >
          {pending && <Spinner />}
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
