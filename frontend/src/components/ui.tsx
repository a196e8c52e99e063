import { useEffect, type ReactNode } from "react";
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

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
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
