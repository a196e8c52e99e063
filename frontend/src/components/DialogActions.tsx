import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

/** A dialog form's buttons: Cancel, which closes it, then the form's own submit button. */
export function DialogActions({ children }: { children: ReactNode }) {
  return (
    <div className="dialog-actions">
      <Dialog.Close asChild>
        <button type="button" className="button">
          Cancel
        </button>
      </Dialog.Close>
      {children}
    </div>
  );
}
