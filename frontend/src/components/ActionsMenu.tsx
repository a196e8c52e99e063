import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useRef, type ReactNode } from "react";

export type MenuAction = {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
  separatorBefore?: boolean;
  /** The action puts the focus somewhere itself (a form on the page): the menu leaves it there. */
  movesFocus?: boolean;
};

export function ActionsMenu({ label = "Actions", actions }: { label?: ReactNode; actions: MenuAction[] }) {
  const focusMoved = useRef(false);
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="button">
          {label} <span aria-hidden="true">▾</span>
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align="end"
          sideOffset={4}
          onCloseAutoFocus={(event) => {
            if (focusMoved.current) event.preventDefault();
            focusMoved.current = false;
          }}
        >
          {actions.map((action) => (
            <div key={action.label}>
              {action.separatorBefore && <DropdownMenu.Separator className="menu-separator" />}
              <DropdownMenu.Item
                className={`menu-item${action.danger ? " danger" : ""}`}
                disabled={action.disabled}
                onSelect={() => {
                  focusMoved.current = Boolean(action.movesFocus);
                  action.onSelect();
                }}
              >
                {action.label}
              </DropdownMenu.Item>
            </div>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
