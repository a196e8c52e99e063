import * as Dialog from "@radix-ui/react-dialog";
import type { FormEvent, ReactNode } from "react";

/** A small form in a dialog: fields, the server's general errors, Cancel and a submit button. */
export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  busy,
  errors,
  onSubmit,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  busy?: boolean;
  errors?: string[];
  onSubmit: () => void;
  children: ReactNode;
}) {
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

/** A labelled text input with its error beside it (aria-invalid, aria-describedby). */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  autoFocus,
  maxLength,
  placeholder,
  after,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  autoFocus?: boolean;
  maxLength?: number;
  placeholder?: string;
  after?: ReactNode;
}) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className={after ? "input-with" : undefined}>
        <input
          id={id}
          type="text"
          value={value}
          autoFocus={autoFocus}
          autoComplete="off"
          maxLength={maxLength}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {after}
      </div>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
