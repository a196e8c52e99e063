import * as Dialog from "@radix-ui/react-dialog";
import type { FormEvent } from "react";
import type { FormDialogProps } from "./dialogs";

/** FormDialog's dialog (see dialogs.tsx), loaded when one first opens. */
export default function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  busy,
  errors,
  onSubmit,
  children,
}: FormDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          {description && <div className="dialog-description">{description}</div>}
          <form
            noValidate
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (!busy) onSubmit();
            }}
          >
            {children}
            {errors && errors.length > 0 && (
              <p className="notice notice-error" role="alert">
                {errors.join(" ")}
              </p>
            )}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? "Saving…" : submitLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
