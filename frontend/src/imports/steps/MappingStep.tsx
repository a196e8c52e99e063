import { useId } from "react";
import type { ImportField } from "../../gql/schema";
import { plural } from "../../lib/format";
import type { ImportJobFieldsFragment as Job } from "../imports.generated";
import { IMPORT_FIELDS, REPEATABLE_FIELDS } from "../labels";
import { useImportTarget } from "../target";
import { GeneralProblems } from "../parts";
import type { Problems } from "../useImportJob";

/** Step 2: which column is which field. */
export function MappingStep({
  job,
  fields,
  onChange,
  problems,
  busy,
  onBack,
  onNext,
}: {
  job: Job;
  fields: (ImportField | null)[];
  onChange: (index: number, field: ImportField | null) => void;
  problems: Problems;
  busy: boolean;
  onBack: () => void;
  onNext: () => void;
}) {
  const uid = useId();
  const copy = useImportTarget();
  const used = new Map<ImportField, number>();
  for (const f of fields) if (f) used.set(f, (used.get(f) ?? 0) + 1);
  const hasName = copy.nameFields.some((f) => used.has(f));
  const mappedCount = fields.filter(Boolean).length;
  // Mapping problems name a column by its place in the list sent (the file's order).
  const columnProblem = (i: number) =>
    problems.fields[`columns.${i}.field`] ?? problems.fields[`columns.${i}`] ?? problems.fields[`columns.${i}.index`];
  const general = [
    ...problems.general,
    ...Object.entries(problems.fields)
      .filter(([key]) => !/^columns\.\d+/.test(key))
      .map(([, message]) => message),
  ];

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onNext();
      }}
    >
      <p className="import-intro">
        Each column of the file, with values from its first rows. Choose the {copy.noun} field it goes
        into, or “Don’t import”. The suggestions come from the column names.
      </p>
      <GeneralProblems problems={general} />
      {!hasName && general.length === 0 && (
        <p className="notice notice-warning" id={`${uid}-name-needed`}>
          Match a column to {copy.nameHint}.
        </p>
      )}
      <div className="table-wrap">
        <table className="table cards mapping-table">
          <caption className="visually-hidden">Columns of {job.fileName}</caption>
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Sample values</th>
              <th scope="col">Import as</th>
            </tr>
          </thead>
          <tbody>
            {job.columns.map((column, i) => {
              const field = fields[i] ?? null;
              const problem = columnProblem(i);
              const twice = field && !REPEATABLE_FIELDS.includes(field) && (used.get(field) ?? 0) > 1;
              const selectId = `${uid}-col-${column.index}`;
              return (
                <tr key={column.index} className={field ? undefined : "is-ignored"}>
                  <th scope="row" className="col-header">
                    {column.header}
                  </th>
                  <td className="col-samples" data-label="Samples">
                    {column.samples.length ? (
                      <ul className="samples">
                        {column.samples.map((sample, n) => (
                          <li key={n} title={sample}>
                            {sample}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="subtle">empty</span>
                    )}
                  </td>
                  <td className="col-field">
                    <label htmlFor={selectId} className="visually-hidden">
                      Import column {column.header} as
                    </label>
                    <select
                      id={selectId}
                      value={field ?? ""}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? `${selectId}-error` : twice ? `${selectId}-twice` : undefined}
                      onChange={(e) => onChange(i, (e.target.value || null) as ImportField | null)}
                    >
                      <option value="">Don’t import</option>
                      {copy.fieldGroups.map((group) => (
                        <optgroup key={group.label} label={group.label}>
                          {group.fields.map((f) => (
                            <option key={f} value={f}>
                              {IMPORT_FIELDS[f]}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                    </select>
                    {problem ? (
                      <p className="field-error" id={`${selectId}-error`}>
                        {problem}
                      </p>
                    ) : twice ? (
                      <p className="hint hint-warn" id={`${selectId}-twice`}>
                        Another column also goes to {IMPORT_FIELDS[field]}.
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="subtle step-summary" aria-live="polite">
        {plural(mappedCount, "column")} of {job.columns.length} will be imported.
      </p>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Checking…" : "Next: check the rows"}
        </button>
        <button type="button" className="button" onClick={onBack}>
          Choose another file
        </button>
      </div>
    </form>
  );
}
