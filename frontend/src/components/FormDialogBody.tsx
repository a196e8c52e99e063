import * as Dialog from "@radix-ui/react-dialog";
import type { FormEvent } from "react";
import type { FormDialogProps } from "./dialogs";
import { DialogActions } from "./DialogActions";

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
            <DialogActions>
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? "Saving…" : submitLabel}
              </button>
            </DialogActions>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
