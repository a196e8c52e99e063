import { plural } from "../lib/format";

export function GeneralProblems({ problems }: { problems: string[] }) {
  return (
    <div aria-live="assertive">
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert">
          {problems.length === 1 ? (
            problems[0]
          ) : (
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

export function Stat({ label, value, hint, tone }: { label: string; value: number; hint?: string; tone?: "good" | "bad" }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ""}`}>
      <dt>
        {label}
        {hint && <span className="stat-hint"> ({hint})</span>}
      </dt>
      <dd>{value.toLocaleString()}</dd>
    </div>
  );
}

export function RowErrors({
  errors,
  caption,
  total,
  note,
}: {
  errors: readonly {
    row: number;
    column?: string | null;
    message: string;
    name?: string | null;
    email?: string | null;
    dropped?: boolean;
  }[];
  caption: string;
  total: number;
  note?: string;
}) {
  return (
    <div className="row-errors">
      <h3>{caption}</h3>
      {note && <p className="hint">{note}</p>}
      <div className="table-wrap">
        <table className="table cards">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Who</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {errors.map((e, i) => (
              <tr key={i}>
                <th scope="row" className="nowrap">
                  Row {e.row}
                </th>
                <td data-label="Who">
                  {e.name || e.email ? (
                    <>
                      {e.name}
                      {e.name && e.email && " · "}
                      {e.email && <span className="subtle">{e.email}</span>}
                    </>
                  ) : (
                    <span className="subtle">—</span>
                  )}
                </td>
                <td data-label="Column">{e.column ?? <span className="subtle">—</span>}</td>
                <td data-label="Problem">
                  {e.dropped && <strong>Imported without it: </strong>}
                  {e.message}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > new Set(errors.map((e) => e.row)).size && (
        <p className="hint">
          The first {plural(errors.length, "problem")}; {plural(total, "row")} have errors in all.
        </p>
      )}
    </div>
  );
}

export function Progress({ label, done, total }: { label: string; done: number; total?: number | null }) {
  const known = typeof total === "number" && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const text = known
    ? `${done.toLocaleString()} of ${total.toLocaleString()} rows`
    : `${plural(done, "row")} so far`;
  return (
    <div className="progress-block">
      <div
        className={`progress${known ? "" : " progress-unknown"}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={text}
      >
        <div className="progress-bar" style={{ width: known ? `${percent}%` : undefined }} />
      </div>
      <p className="progress-text" aria-hidden="true">
        {text}
        {known && <span className="subtle"> · {percent}%</span>}
      </p>
    </div>
  );
}
