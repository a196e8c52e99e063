import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type ReactNode } from "react";

/**
 * A destructive action behind a dialog. With `confirmText`, the user must type it
 * (the contact's name) before the button is enabled.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  confirmText,
  busy,
  error,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  confirmText?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
}) {
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const matches = !confirmText || typed.trim() === confirmText.trim();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) setTyped("");
        onOpenChange(next);
      }}
    >
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
              if (matches && !busy) onConfirm();
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
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="button button-danger" disabled={!matches || busy}>
                {busy ? "Working…" : confirmLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
