import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState } from "react";
import type { ConfirmDialogProps } from "./dialogs";
import { DialogActions } from "./DialogActions";

/** ConfirmDialog's dialog (see dialogs.tsx), loaded when one first opens. */
export default function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  confirmText,
  action,
  onDone,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const matches = !confirmText || typed.trim() === confirmText.trim();

  async function confirm() {
    setBusy(true);
    const problem = await action();
    setBusy(false);
    setError(problem);
    if (!problem) {
      onOpenChange(false);
      onDone();
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="dialog-description">{description}</div>
          </Dialog.Description>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (matches && !busy) void confirm();
            }}
          >
            {confirmText && (
              <div className="field">
                <label htmlFor={inputId}>
                  Type <strong>{confirmText}</strong> to confirm
                </label>
                <input
                  id={inputId}
                  value={typed}
                  autoComplete="off"
                  onChange={(e) => setTyped(e.target.value)}
                />
              </div>
            )}
            {error && (
              <p className="notice notice-error" role="alert">
                {error}
              </p>
            )}
            <DialogActions>
              <button type="submit" className="button button-danger" disabled={!matches || busy}>
                {busy ? "Working…" : confirmLabel}
              </button>
            </DialogActions>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
