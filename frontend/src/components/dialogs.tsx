import { lazy, Suspense, useState, type ComponentType, type ReactNode } from "react";
import type { CombinedError } from "urql";
import { collectErrors, type FieldErrors } from "../lib/format";

/**
 * A dialog whose code (and Radix's) loads the first time it opens; closed, it is not
 * rendered at all, so pages with dialogs do not carry them on their first load.
 */
function whenOpen<Props extends { open: boolean }>(load: () => Promise<{ default: ComponentType<Props> }>) {
  const Dialog = lazy(load);
  return function LazyDialog(props: Props) {
    if (!props.open) return null;
    return (
      <Suspense fallback={null}>
        <Dialog {...props} />
      </Suspense>
    );
  };
}

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  confirmText?: string;
  action: () => Promise<string | null>;
  onDone: () => void;
};

/**
 * A destructive action behind a dialog. With `confirmText`, the user must type it (the
 * contact's name) before the button is enabled. `action` resolves to what went wrong,
 * shown in the dialog, or to null: the dialog closes and `onDone` follows.
 */
export const ConfirmDialog = whenOpen<ConfirmDialogProps>(() => import("./ConfirmDialogBody"));

export type FormDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  busy?: boolean;
  errors?: string[];
  onSubmit: () => void;
  children: ReactNode;
};

/** A small form in a dialog: fields, the server's general errors, Cancel and a submit button. */
export const FormDialog = whenOpen<FormDialogProps>(() => import("./FormDialogBody"));

export type FormErrors = { fields: FieldErrors; general: string[] };
export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * Why a dialog's save was refused: errors beside the `shown` fields, the rest (or the
 * request's own error, or `fallback`) above the buttons.
 */
export function formErrors(
  result: { error?: CombinedError },
  payload: { errors: readonly { field?: readonly string[] | null; message: string }[] } | null | undefined,
  shown: string[],
  fallback: string,
): FormErrors {
  if (!payload) return { fields: {}, general: [result.error?.message ?? fallback] };
  return collectErrors(payload.errors, (key) => shown.includes(key));
}

/** Calls `reset` as the dialog opens (while rendering, so its first frame is fresh). */
export function useOnOpen(open: boolean, reset: () => void) {
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) reset();
  }
}
