import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { buttonStyle } from '../../components/form';

/**
 * A question asked before something hard to undo, in the browser's own
 * modal dialog: focus moves into it (to Cancel), Escape cancels.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirm,
  danger = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('studio');
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
        {children}
      </div>
      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <button type="button" onClick={onCancel} className={buttonStyle('quiet')} autoFocus>
          {t('cancel')}
        </button>
        <button type="button" onClick={onConfirm} className={buttonStyle(danger ? 'danger' : 'primary')}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
