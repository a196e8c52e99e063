import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

/** The narrow screen's navigation, in a drawer; loaded when first opened. */
export default function MenuDrawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="drawer-overlay" />
        <Dialog.Content className="drawer" aria-describedby={undefined}>
          <div className="drawer-head">
            <Dialog.Title className="brand">{title || "Menu"}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="button button-quiet" aria-label="Close menu">
                ✕
              </button>
            </Dialog.Close>
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
