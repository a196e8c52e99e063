import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useRef, useState, type ReactElement, type ReactNode } from "react";

export type MenuAction = {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
  /**
   * Why the action does not apply now. The item stays in the menu and in its keyboard order,
   * marked unavailable, and says why instead of acting.
   */
  unavailable?: string | null;
  separatorBefore?: boolean;
  /** The action puts the focus somewhere itself (a form on the page): the menu leaves it there. */
  movesFocus?: boolean;
  /** Its icon, for the quick actions at the top of a menu. */
  icon?: ReactNode;
};

/**
 * A menu button (the menu pattern: arrow keys move, Enter or Space acts, Escape closes and
 * gives the focus back to the button). `quick` actions are a row of icons above the rest;
 * `trigger` replaces the "Actions ▾" button.
 */
export function ActionsMenu({
  label = "Actions",
  actions,
  quick = [],
  trigger,
}: {
  label?: ReactNode;
  actions: MenuAction[];
  quick?: MenuAction[];
  trigger?: ReactElement;
}) {
  const focusMoved = useRef(false);
  const [reason, setReason] = useState<string | null>(null);

  function item(action: MenuAction, className: string, content: ReactNode) {
    const unavailable = Boolean(action.unavailable);
    return (
      <DropdownMenu.Item
        className={`${className}${action.danger ? " danger" : ""}${unavailable ? " is-unavailable" : ""}`}
        disabled={action.disabled}
        aria-disabled={unavailable || undefined}
        aria-label={action.icon ? action.label : undefined}
        title={action.icon ? [action.label, action.unavailable].filter(Boolean).join(": ") : undefined}
        onSelect={(event) => {
          if (action.unavailable) {
            event.preventDefault();
            setReason(`${action.label}: ${action.unavailable}`);
            return;
          }
          focusMoved.current = Boolean(action.movesFocus);
          action.onSelect();
        }}
      >
        {content}
      </DropdownMenu.Item>
    );
  }

  return (
    <DropdownMenu.Root modal={false} onOpenChange={() => setReason(null)}>
      <DropdownMenu.Trigger asChild>
        {trigger ?? (
          <button type="button" className="button">
            {label} <span aria-hidden="true">▾</span>
          </button>
        )}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align="end"
          sideOffset={4}
          collisionPadding={8}
          onCloseAutoFocus={(event) => {
            if (focusMoved.current) event.preventDefault();
            focusMoved.current = false;
          }}
        >
          {quick.length > 0 && (
            <DropdownMenu.Group className="menu-quick">
              {quick.map((action) => (
                <div key={action.label}>
                  {item(
                    action,
                    "menu-item menu-quick-item",
                    <>
                      {action.icon}
                      <span aria-hidden="true">{action.label}</span>
                    </>,
                  )}
                </div>
              ))}
            </DropdownMenu.Group>
          )}
          {quick.length > 0 && (
            <p className="menu-reason" role="status">
              {reason}
            </p>
          )}
          {actions.map((action, index) => (
            <div key={action.label}>
              {(action.separatorBefore || (index === 0 && quick.length > 0)) && (
                <DropdownMenu.Separator className="menu-separator" />
              )}
              {item(
                action,
                "menu-item",
                <>
                  {action.label}
                  {action.unavailable && <span className="menu-item-reason">{action.unavailable}</span>}
                </>,
              )}
            </div>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
