// Kept apart from ui.tsx: the app's shell shows these, so they load with the first page.

/** The whole window waiting: for the session to be known, or the app's code to arrive. */
export function PageLoading() {
  return (
    <div className="page-loading" role="status">
      Loading…
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
