/**
 * Confirmation for destructive expert actions, on the native <dialog> (focus trap, Escape to cancel, and
 * the right roles for free). The consequence is stated in the dialog, not just the action's name.
 */
import { useEffect, useRef } from 'preact/hooks';

export interface Confirmation {
  title: string;
  consequence: string;
  confirmLabel: string;
  run: () => Promise<void>;
}

export function ConfirmDialog({ pending, onClose }: { pending: Confirmation | null; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) {
      return;
    }
    if (pending !== null && !element.open) {
      element.showModal();
    } else if (pending === null && element.open) {
      element.close();
    }
  }, [pending]);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onClose={onClose}>
      {pending !== null && (
        <form method="dialog" onSubmit={(event) => {
          event.preventDefault();
          void pending.run().finally(onClose);
        }}>
          <h2 id="confirm-title">{pending.title}</h2>
          <p>{pending.consequence}</p>
          <div class="actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" class="danger">{pending.confirmLabel}</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
