import { useEffect, useState, type ReactNode, type Ref } from "react";
import { Link, useLocation } from "react-router";
import type { CombinedError } from "urql";

export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · CRM` : "CRM";
  }, [title]);
}

export function PageHeader({ title, actions, children }: {
  title: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-header-text">
        <h1>{title}</h1>
        {children}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function errorMessage(error: CombinedError): string {
  if (error.networkError) return "Could not reach the server. Check your connection and try again.";
  return error.graphQLErrors.map((e) => e.message).join(" ") || error.message;
}

export function ErrorState({ error, retry }: { error: CombinedError; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>Something went wrong: {errorMessage(error)}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function Badge({ children, tone = "neutral" }: {
  children: ReactNode;
  tone?: "neutral" | "good" | "info" | "warn" | "muted";
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** A labelled form control with its hint and error below it. */
export function Field({
  id,
  label,
  error,
  hint,
  required,
  children,
  className,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <>
            {" "}
            <span className="required-mark" aria-hidden="true">
              *
            </span>
          </>
        )}
      </label>
      {children}
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

/** A `Field` holding a text input, wired to its label, hint and error. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  required,
  className,
  type = "text",
  autoComplete = "off",
  after,
  ...input
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  className?: string;
  type?: "text" | "email" | "url" | "tel";
  autoComplete?: string;
  autoFocus?: boolean;
  maxLength?: number;
  placeholder?: string;
  /** Beside the input, such as a colour picker. */
  after?: ReactNode;
}) {
  const control = (
    <input
      id={id}
      type={type}
      autoComplete={autoComplete}
      value={value}
      aria-required={required || undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(id, error, Boolean(hint))}
      onChange={(e) => onChange(e.target.value)}
      {...input}
    />
  );
  return (
    <Field id={id} label={label} error={error} hint={hint} required={required} className={className}>
      {after ? (
        <div className="input-with">
          {control}
          {after}
        </div>
      ) : (
        control
      )}
    </Field>
  );
}

/** A `Field` holding a select of `options` (value: label), with an empty choice if `blank`. */
export function SelectField<Value extends string>({
  id,
  label,
  value,
  onChange,
  options,
  blank,
  error,
}: {
  id: string;
  label: ReactNode;
  value: Value | "";
  onChange: (value: Value) => void;
  options: Record<Value, string>;
  blank?: string;
  error?: string;
}) {
  return (
    <Field id={id} label={label} error={error}>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as Value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
      >
        {blank !== undefined && <option value="">{blank}</option>}
        {(Object.keys(options) as Value[]).map((option) => (
          <option key={option} value={option}>
            {options[option]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The aria-describedby of a `Field`'s control: its hint and error, when shown. */
export function describedBy(id: string, error?: string, hint?: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export type Notice = { tone: "ok" | "error"; text: ReactNode };

/** The page's notice, starting with the one the page before passed on (`state.notice`). */
export function usePassedNotice() {
  const location = useLocation();
  return useState<Notice | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "ok", text } : null;
  });
}

/** The notice for an action's outcome: its problem, or `success` when there was none. */
export function noticeOf(problem: string | null, success: ReactNode): Notice {
  return problem ? { tone: "error", text: problem } : { tone: "ok", text: success };
}

/** The outcome of the last action on a page: a status, or an alert when it failed. */
export function NoticeBar({ notice }: { notice: Notice | null }) {
  return (
    <div aria-live="polite">
      {notice && (
        <p
          className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`}
          role={notice.tone === "ok" ? "status" : "alert"}
        >
          {notice.text}
        </p>
      )}
    </div>
  );
}

/** A form's problems after a save was refused: how many, and those no field shows. */
export function ErrorSummary({
  count,
  general,
  ref,
}: {
  count: number;
  general: string[];
  ref?: Ref<HTMLDivElement>;
}) {
  return (
    <div ref={ref} tabIndex={-1} aria-live="assertive">
      {count > 0 && (
        <div className="notice notice-error" role="alert">
          <strong>
            {count === 1 ? "Please correct the problem below." : `Please correct the ${count} problems below.`}
          </strong>
          {general.length > 0 && (
            <ul>
              {general.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A record form's buttons: save (busy while saving) and Cancel, back to `cancelTo`. */
export function FormActions({ saving, label, cancelTo }: { saving: boolean; label: string; cancelTo: string }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? "Saving…" : label}
      </button>
      <Link className="button" to={cancelTo}>
        Cancel
      </Link>
    </div>
  );
}

/** What a page shows for something that does not exist (any more). */
export function Gone({ title, children, back }: {
  title: string;
  children: ReactNode;
  back: { to: string; label: string };
}) {
  return (
    <>
      <PageHeader title={title} />
      <p>
        {children} <Link to={back.to}>{back.label}</Link>
      </p>
    </>
  );
}
