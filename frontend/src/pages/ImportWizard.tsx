import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { SearchBox } from "../components/SearchBox";
import { ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import type {
  ContactStatus,
  ContactType,
  ImportDuplicateMode,
  ImportField,
  ImportJobFieldsFragment,
  ImportOptionsInput,
} from "../gql/graphql";
import { useAuth } from "../lib/auth";
import { CONTACT_STATUSES, CONTACT_TYPES, collectErrors, type FieldErrors } from "../lib/format";
import { GroupOptions, plural } from "../lib/groups";
import {
  ACTIVE_STATES,
  CancelImport,
  DUPLICATE_MODES,
  FINISHED_STATES,
  IMPORT_FIELD_GROUPS,
  IMPORT_FIELDS,
  ImportJobQuery,
  PreviewImport,
  REPEATABLE_FIELDS,
  RUNNING_STATES,
  StartImport,
  UploadError,
  formatBytes,
  uploadImportFile,
} from "../lib/imports";

type Job = ImportJobFieldsFragment;
type Step = "upload" | "mapping" | "preview" | "options" | "run" | "result";

const STEPS: { step: Step; label: string }[] = [
  { step: "upload", label: "Upload" },
  { step: "mapping", label: "Match columns" },
  { step: "preview", label: "Check" },
  { step: "options", label: "Options" },
  { step: "run", label: "Import" },
  { step: "result", label: "Result" },
];

type GroupMode = "none" | "existing" | "new";
type Options = {
  duplicateMode: ImportDuplicateMode;
  groupMode: GroupMode;
  groupId: string;
  newGroupName: string;
  defaultType: ContactType;
  defaultStatus: ContactStatus;
};

type Problems = { fields: FieldErrors; general: string[] };
const NO_PROBLEMS: Problems = { fields: {}, general: [] };

const context = { additionalTypenames: ["ImportJob"] };
const listContext = { additionalTypenames: ["Contact", "Group"] };

function optionsOf(job: Job): Options {
  const o = job.options;
  return {
    duplicateMode: o.duplicateMode,
    groupMode: o.group ? "existing" : o.newGroupName ? "new" : "none",
    groupId: o.group?.id ?? "",
    newGroupName: o.newGroupName ?? "",
    defaultType: o.defaultType,
    defaultStatus: o.defaultStatus,
  };
}

function optionsInput(o: Options): ImportOptionsInput {
  return {
    duplicateMode: o.duplicateMode,
    groupId: o.groupMode === "existing" && o.groupId ? o.groupId : null,
    newGroupName: o.groupMode === "new" ? o.newGroupName.trim() || null : null,
    defaultType: o.defaultType,
    defaultStatus: o.defaultStatus,
  };
}

/** The step a job opened from the address bar resumes at. */
function stepOf(job: Job): Step {
  if (RUNNING_STATES.includes(job.state)) return "run";
  if (FINISHED_STATES.includes(job.state)) return "result";
  if (job.state === "PREVIEWING" || job.state === "PREVIEWED") return "preview";
  return "mapping";
}

/**
 * Import contacts from a CSV or xlsx file: upload, match the file's columns to contact
 * fields, check the rows, choose what happens to duplicates, run, and see the result.
 * The job's id lives in the address (`?job=`), so a reload picks the wizard up again.
 */
export function ImportWizard() {
  useTitle("Import contacts");
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: ImportJobQuery,
    variables: { id: jobId ?? "" },
    pause: !jobId,
    requestPolicy: "network-only",
    context,
  });
  // A mutation's answer is newer than the query's data until the query answers again.
  const [override, setOverride] = useState<{ job: Job; over: unknown } | null>(null);
  const job =
    override && override.over === data && override.job.id === jobId
      ? override.job
      : jobId && data?.importJob?.id === jobId
        ? data.importJob
        : null;

  // Poll while the server is checking or importing.
  const active = Boolean(job && ACTIVE_STATES.includes(job.state));
  useEffect(() => {
    if (!active || fetching) return;
    const timer = window.setTimeout(() => refetch({ requestPolicy: "network-only" }), 500);
    return () => window.clearTimeout(timer);
  }, [active, fetching, refetch, data]);

  // The step the person chose, for this job; running and finished jobs decide for themselves.
  const [chosen, setChosen] = useState<{ jobId: string | null; step: Step }>({ jobId, step: "upload" });
  let step: Step;
  if (!jobId) step = "upload";
  else if (!job) step = chosen.jobId === jobId ? chosen.step : "mapping";
  else if (RUNNING_STATES.includes(job.state) || FINISHED_STATES.includes(job.state)) step = stepOf(job);
  else if (chosen.jobId === jobId && chosen.step !== "upload") step = chosen.step;
  else step = stepOf(job);
  const goTo = (next: Step) => setChosen({ jobId, step: next });

  // The mapping and options being edited, started from the job's own.
  const [mapping, setMapping] = useState<{ jobId: string; fields: (ImportField | null)[] } | null>(null);
  const fields =
    job && mapping?.jobId === job.id ? mapping.fields : (job?.columns.map((c) => c.field ?? null) ?? []);
  const [options, setOptions] = useState<{ jobId: string; values: Options } | null>(null);
  const values = job ? (options?.jobId === job.id ? options.values : optionsOf(job)) : null;

  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [{ fetching: previewing }, preview] = useMutation(PreviewImport);
  const [{ fetching: starting }, start] = useMutation(StartImport);
  const [{ fetching: cancelling }, cancel] = useMutation(CancelImport);

  // Each step starts at its heading, for keyboard and screen reader users.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    headingRef.current?.focus();
  }, [step]);

  function columnsInput() {
    return (job?.columns ?? []).map((c, i) => ({ index: c.index, field: fields[i] ?? null }));
  }

  function payloadProblems(
    errors: readonly { field?: readonly string[] | null; message: string }[],
  ): Problems {
    const collected = collectErrors(errors);
    return { fields: collected.fields, general: collected.general };
  }

  async function runPreview() {
    if (!job || !values) return;
    setProblems(NO_PROBLEMS);
    const result = await preview(
      { input: { jobId: job.id, columns: columnsInput(), options: optionsInput(values) } },
      context,
    );
    const payload = result.data?.previewImport;
    if (!payload) {
      setProblems({ fields: {}, general: [result.error?.message ?? "Could not check the file."] });
      return;
    }
    if (payload.errors.length) {
      setProblems(payloadProblems(payload.errors));
      return;
    }
    if (payload.job) setOverride({ job: payload.job, over: data });
    goTo("preview");
    refetch({ requestPolicy: "network-only" });
  }

  async function runImport() {
    if (!job || !values) return;
    const local: FieldErrors = {};
    if (values.groupMode === "existing" && !values.groupId) local["options.groupId"] = "Choose a group.";
    if (values.groupMode === "new" && !values.newGroupName.trim()) {
      local["options.newGroupName"] = "Enter a name for the new group.";
    }
    if (Object.keys(local).length) {
      setProblems({ fields: local, general: [] });
      return;
    }
    setProblems(NO_PROBLEMS);
    const result = await start(
      { input: { jobId: job.id, columns: columnsInput(), options: optionsInput(values) } },
      context,
    );
    const payload = result.data?.startImport;
    if (!payload) {
      setProblems({ fields: {}, general: [result.error?.message ?? "Could not start the import."] });
      return;
    }
    if (payload.errors.length) {
      const found = payloadProblems(payload.errors);
      setProblems(found);
      // A problem with the mapping is shown beside the columns.
      if (Object.keys(found.fields).some((key) => key.startsWith("columns"))) goTo("mapping");
      return;
    }
    if (payload.job) setOverride({ job: payload.job, over: data });
    goTo("run");
    refetch({ requestPolicy: "network-only" });
  }

  async function stop() {
    if (!job) return;
    const result = await cancel({ input: { jobId: job.id } }, context);
    const payload = result.data?.cancelImport;
    if (payload?.job) setOverride({ job: payload.job, over: data });
    if (!payload || payload.errors.length) {
      setProblems({
        fields: {},
        general: payload?.errors.map((e) => e.message) ?? [result.error?.message ?? "Could not cancel."],
      });
    }
    refetch({ requestPolicy: "network-only" });
  }

  function startOver() {
    setProblems(NO_PROBLEMS);
    setMapping(null);
    setOptions(null);
    setChosen({ jobId: null, step: "upload" });
    setParams({});
  }

  let body: ReactNode;
  if (jobId && !job) {
    body =
      error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : data && !data.importJob ? (
        <div className="state state-error" role="alert">
          <p>This import is not available any more.</p>
          <button type="button" className="button" onClick={startOver}>
            Start a new import
          </button>
        </div>
      ) : (
        <Loading label="Loading the import…" />
      );
  } else if (step === "upload" || !job || !values) {
    body = (
      <UploadStep
        onUploaded={(id) => {
          setProblems(NO_PROBLEMS);
          setChosen({ jobId: id, step: "mapping" });
          setParams({ job: id });
        }}
      />
    );
  } else if (step === "mapping") {
    body = (
      <MappingStep
        job={job}
        fields={fields}
        onChange={(index, field) => {
          const next = [...fields];
          next[index] = field;
          setMapping({ jobId: job.id, fields: next });
        }}
        problems={problems}
        busy={previewing}
        onBack={startOver}
        onNext={() => void runPreview()}
      />
    );
  } else if (step === "preview") {
    body = (
      <PreviewStep
        job={job}
        problems={problems}
        onBack={() => {
          setProblems(NO_PROBLEMS);
          goTo("mapping");
        }}
        onNext={() => {
          setProblems(NO_PROBLEMS);
          goTo("options");
        }}
      />
    );
  } else if (step === "options") {
    body = (
      <OptionsStep
        values={values}
        onChange={(next) => setOptions({ jobId: job.id, values: next })}
        checkedWith={optionsOf(job)}
        onRecheck={() => void runPreview()}
        rechecking={previewing}
        problems={problems}
        busy={starting}
        onBack={() => {
          setProblems(NO_PROBLEMS);
          goTo("preview");
        }}
        onStart={() => void runImport()}
      />
    );
  } else if (step === "run") {
    body = <RunStep job={job} problems={problems} cancelling={cancelling} onCancel={() => void stop()} />;
  } else {
    body = <ResultStep job={job} onAgain={startOver} />;
  }

  const current = STEPS.findIndex((s) => s.step === step);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <PageHeader title="Import contacts">
        {job && (
          <p className="subtle">
            {job.fileName}
            {job.format === "csv" && job.encoding ? ` · ${job.encoding}` : ""}
            {job.format === "csv" && job.delimiter ? ` · separated by ${delimiterName(job.delimiter)}` : ""}
          </p>
        )}
      </PageHeader>
      <ol className="steps" aria-label="Import steps">
        {STEPS.map((s, i) => (
          <li
            key={s.step}
            className={i < current ? "step-done" : i === current ? "step-current" : undefined}
            aria-current={i === current ? "step" : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {i < current ? "✓" : i + 1}
            </span>
            <span className="step-label">
              {s.label}
              {i < current && <span className="visually-hidden"> (done)</span>}
            </span>
          </li>
        ))}
      </ol>
      <section className={`import-step${stale ? " is-stale" : ""}`} aria-labelledby="import-step-title">
        <h2 id="import-step-title" ref={headingRef} tabIndex={-1} className="step-title">
          <span className="step-of">
            Step {current + 1} of {STEPS.length}:
          </span>{" "}
          {stepTitle(step)}
        </h2>
        {body}
      </section>
    </>
  );
}

function stepTitle(step: Step): string {
  return {
    upload: "Choose a file",
    mapping: "Match the columns",
    preview: "Check the rows",
    options: "Options",
    run: "Importing",
    result: "Result",
  }[step];
}

function delimiterName(delimiter: string): string {
  return { ",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars" }[delimiter] ?? `“${delimiter}”`;
}

function GeneralProblems({ problems }: { problems: string[] }) {
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

/* Step 1: the file */

function UploadStep({ onUploaded }: { onUploaded: (jobId: string) => void }) {
  const uid = useId();
  const auth = useAuth();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function upload() {
    if (!file) {
      setProblem("Choose a CSV or Excel file first.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onUploaded(await uploadImportFile(file));
    } catch (e) {
      const failure = e instanceof UploadError ? e : new UploadError(String(e));
      if (failure.code === "UNAUTHENTICATED") auth.signedOut(true);
      setProblem(failure.message);
      setBusy(false);
    }
  }

  return (
    <form
      className="card import-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void upload();
      }}
    >
      <p className="import-intro">
        A CSV file or an Excel workbook (.xlsx) with one contact per row and the column names in the
        first row. You will match the columns to contact fields and check the rows before anything is
        saved.
      </p>
      <div className="field">
        <label htmlFor={`${uid}-file`}>File</label>
        <input
          id={`${uid}-file`}
          className="file-input"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${uid}-file-hint${problem ? ` ${uid}-file-error` : ""}`}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setProblem(null);
          }}
        />
        <p className="hint" id={`${uid}-file-hint`}>
          {file ? `${file.name}, ${formatBytes(file.size)}` : "CSV (any common encoding and separator) or .xlsx."}
        </p>
        {problem && (
          <p className="field-error" id={`${uid}-file-error`} role="alert">
            {problem}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Uploading…" : "Upload and continue"}
        </button>
        <Link className="button" to="/contacts">
          Cancel
        </Link>
      </div>
      <div className="template-links">
        <h3>Not sure how to lay out the file?</h3>
        <p className="hint">Start from a template with every column the import understands and two example rows.</p>
        <p className="inline-links">
          <a className="button button-small" href="/import/template.csv" download>
            Template (CSV)
          </a>
          <a className="button button-small" href="/import/template.xlsx" download>
            Template (Excel)
          </a>
        </p>
      </div>
    </form>
  );
}

/* Step 2: which column is which field */

function MappingStep({
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
  const used = new Map<ImportField, number>();
  for (const f of fields) if (f) used.set(f, (used.get(f) ?? 0) + 1);
  const hasName = used.has("LAST_NAME") || used.has("FULL_NAME");
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
        Each column of the file, with values from its first rows. Choose the contact field it goes
        into, or “Don’t import”. The suggestions come from the column names.
      </p>
      <GeneralProblems problems={general} />
      {!hasName && general.length === 0 && (
        <p className="notice notice-warning" id={`${uid}-name-needed`}>
          Match a column to <strong>Last name</strong> or <strong>Full name</strong>: every contact needs a name.
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
                      {IMPORT_FIELD_GROUPS.map((group) => (
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

/* Step 3: what the file holds */

function PreviewStep({
  job,
  problems,
  onBack,
  onNext,
}: {
  job: Job;
  problems: Problems;
  onBack: () => void;
  onNext: () => void;
}) {
  const p = job.preview;
  if (job.state === "PREVIEWING" || !p) {
    return (
      <div className="card import-card">
        <p>Checking every row of the file…</p>
        <Progress label="Rows checked" done={job.rowsDone} total={job.totalRows} />
      </div>
    );
  }
  return (
    <>
      <GeneralProblems problems={problems.general} />
      <dl className="stats" aria-label="Rows in the file">
        <Stat label="Rows" value={p.totalRows} />
        <Stat label="Valid" value={p.validRows} tone="good" />
        <Stat label="With errors" value={p.invalidRows} tone={p.invalidRows ? "bad" : undefined} />
        <Stat label="New contacts" value={p.newRows} />
        <Stat label="Already in the CRM" value={p.existingRows} hint="same email" />
        <Stat label="Repeated in the file" value={p.inFileDuplicateRows} hint="same email as an earlier row" />
      </dl>
      {p.errors.length > 0 ? (
        <RowErrors
          errors={p.errors}
          caption="Rows with errors"
          total={p.invalidRows}
          note="These rows will not be imported. After the import you can download them, fix them and import them again."
        />
      ) : (
        <p className="notice notice-ok">Every row can be imported.</p>
      )}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onNext} disabled={p.validRows === 0}>
          Next: options
        </button>
        <button type="button" className="button" onClick={onBack}>
          Back to the columns
        </button>
      </div>
    </>
  );
}

function Stat({ label, value, hint, tone }: { label: string; value: number; hint?: string; tone?: "good" | "bad" }) {
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

function RowErrors({
  errors,
  caption,
  total,
  note,
}: {
  errors: readonly { row: number; column?: string | null; message: string }[];
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
                <td data-label="Column">{e.column ?? <span className="subtle">—</span>}</td>
                <td data-label="Problem">{e.message}</td>
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

/* Step 4: duplicates, group, defaults */

function OptionsStep({
  values,
  onChange,
  checkedWith,
  onRecheck,
  rechecking,
  problems,
  busy,
  onBack,
  onStart,
}: {
  values: Options;
  onChange: (values: Options) => void;
  /** The options the rows were checked with. */
  checkedWith: Options;
  onRecheck: () => void;
  rechecking: boolean;
  problems: Problems;
  busy: boolean;
  onBack: () => void;
  onStart: () => void;
}) {
  const uid = useId();
  const set = <K extends keyof Options>(key: K, value: Options[K]) => onChange({ ...values, [key]: value });
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: GroupOptions,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: listContext,
  });
  const groups = data?.groups.edges.map((e) => e.node) ?? [];
  // The check's counts depend on these two; the group and the status do not change them.
  const changed: string[] = [];
  if (values.defaultType !== checkedWith.defaultType) {
    changed.push(`“${CONTACT_TYPES[checkedWith.defaultType]}” as the default type`);
  }
  if (values.duplicateMode !== checkedWith.duplicateMode) {
    const mode = DUPLICATE_MODES.find((m) => m.value === checkedWith.duplicateMode);
    changed.push(`duplicates set to “${mode?.label ?? checkedWith.duplicateMode}”`);
  }
  const outdated = changed.join(" and ");
  const groupError = problems.fields["options.groupId"];
  const nameError = problems.fields["options.newGroupName"];
  const known = ["options.groupId", "options.newGroupName"];
  const general = [
    ...problems.general,
    ...Object.entries(problems.fields)
      .filter(([key]) => !known.includes(key))
      .map(([, message]) => message),
  ];

  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onStart();
      }}
    >
      <GeneralProblems problems={general} />
      <fieldset className="card">
        <legend>Contacts already in the CRM</legend>
        <p className="hint fieldset-hint">A row is a duplicate when its email belongs to an existing contact.</p>
        <div className="choice-list">
          {DUPLICATE_MODES.map((mode) => (
            <label key={mode.value} className="choice">
              <input
                type="radio"
                name={`${uid}-duplicates`}
                value={mode.value}
                checked={values.duplicateMode === mode.value}
                aria-describedby={`${uid}-dup-${mode.value}`}
                onChange={() => set("duplicateMode", mode.value)}
              />
              <span>
                <span className="choice-label">{mode.label}</span>
                <span className="hint" id={`${uid}-dup-${mode.value}`}>
                  {mode.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Add the contacts to a group</legend>
        <div className="radio-row group-mode">
          {(
            [
              ["none", "No group"],
              ["existing", "An existing group"],
              ["new", "A new group"],
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} className="check">
              <input
                type="radio"
                name={`${uid}-group-mode`}
                checked={values.groupMode === mode}
                onChange={() => set("groupMode", mode)}
              />
              {label}
            </label>
          ))}
        </div>
        {values.groupMode === "existing" && (
          <div className="group-pick">
            {((data?.groups.totalCount ?? 0) > groups.length || search) && (
              <SearchBox label="Find a group" placeholder="Find a group…" value={search} onSearch={setSearch} />
            )}
            <div className="field">
              <label htmlFor={`${uid}-group`}>Group</label>
              <select
                id={`${uid}-group`}
                value={values.groupId}
                aria-invalid={groupError ? true : undefined}
                aria-describedby={groupError ? `${uid}-group-error` : undefined}
                onChange={(e) => set("groupId", e.target.value)}
              >
                <option value="">Choose a group…</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name} ({plural(g.memberCount, "member")})
                  </option>
                ))}
              </select>
              {groupError && (
                <p className="field-error" id={`${uid}-group-error`}>
                  {groupError}
                </p>
              )}
            </div>
          </div>
        )}
        {values.groupMode === "new" && (
          <div className="field group-pick">
            <label htmlFor={`${uid}-new-group`}>New group name</label>
            <input
              id={`${uid}-new-group`}
              type="text"
              value={values.newGroupName}
              maxLength={100}
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={`${uid}-new-group-hint${nameError ? ` ${uid}-new-group-error` : ""}`}
              onChange={(e) => set("newGroupName", e.target.value)}
            />
            <p className="hint" id={`${uid}-new-group-hint`}>
              The group is created when the import starts.
            </p>
            {nameError && (
              <p className="field-error" id={`${uid}-new-group-error`}>
                {nameError}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="card">
        <legend>Rows that do not say</legend>
        <p className="hint fieldset-hint">Used when the file has no Type or Status column, or the cell is empty.</p>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${uid}-type`}>Default type</label>
            <select
              id={`${uid}-type`}
              value={values.defaultType}
              onChange={(e) => set("defaultType", e.target.value as ContactType)}
            >
              {(Object.keys(CONTACT_TYPES) as ContactType[]).map((t) => (
                <option key={t} value={t}>
                  {CONTACT_TYPES[t]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${uid}-status`}>Default status</label>
            <select
              id={`${uid}-status`}
              value={values.defaultStatus}
              onChange={(e) => set("defaultStatus", e.target.value as ContactStatus)}
            >
              {(Object.keys(CONTACT_STATUSES) as ContactStatus[]).map((s) => (
                <option key={s} value={s}>
                  {CONTACT_STATUSES[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </fieldset>

      <div aria-live="polite">
        {outdated && (
          <div className="notice notice-warning recheck">
            <p>
              The rows were checked with {outdated}. That can change which rows are valid: a client or
              a prospect needs an email, for example.
            </p>
            <button type="button" className="button button-small" disabled={rechecking} onClick={onRecheck}>
              {rechecking ? "Checking…" : "Check the rows again"}
            </button>
          </div>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Starting…" : "Start the import"}
        </button>
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}

/* Step 5: progress */

function Progress({ label, done, total }: { label: string; done: number; total?: number | null }) {
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

function RunStep({
  job,
  problems,
  cancelling,
  onCancel,
}: {
  job: Job;
  problems: Problems;
  cancelling: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="card import-card">
      <GeneralProblems problems={problems.general} />
      <p className="run-status">
        {!RUNNING_STATES.includes(job.state) || job.state === "QUEUED"
          ? "Waiting to start…"
          : "Importing the rows. You can leave this page; the import goes on in the background."}
      </p>
      <Progress label="Import progress" done={job.rowsDone} total={job.totalRows} />
      <p className="subtle run-counts" aria-live="polite">
        {job.createdCount.toLocaleString()} created · {job.updatedCount.toLocaleString()} updated ·{" "}
        {job.skippedCount.toLocaleString()} skipped · {job.failedCount.toLocaleString()} failed
      </p>
      <div className="form-actions">
        <button type="button" className="button button-danger-quiet" disabled={cancelling} onClick={onCancel}>
          {cancelling ? "Cancelling…" : "Cancel the import"}
        </button>
      </div>
    </div>
  );
}

/* Step 6: what happened */

function ResultStep({ job, onAgain }: { job: Job; onAgain: () => void }) {
  const summary =
    job.state === "DONE"
      ? { tone: "notice-ok", text: "The import is finished." }
      : job.state === "CANCELLED"
        ? { tone: "notice-warning", text: "The import was cancelled. Rows imported before that are kept." }
        : {
            tone: "notice-error",
            text: `The import stopped: ${job.errorMessage ?? "an unexpected error"}. Rows imported before that are kept.`,
          };
  return (
    <>
      <p className={`notice ${summary.tone}`} role="status">
        {summary.text}
      </p>
      <dl className="stats" aria-label="Import result">
        <Stat label="Created" value={job.createdCount} tone="good" />
        <Stat label="Updated" value={job.updatedCount} />
        <Stat label="Skipped" value={job.skippedCount} />
        <Stat label="Failed" value={job.failedCount} tone={job.failedCount ? "bad" : undefined} />
      </dl>
      {job.failedCount > 0 && (
        <div className="notice notice-warning failed-rows">
          <p>
            {plural(job.failedCount, "row")} could not be imported. The file of failed rows has the
            original columns and an Error column: fix the rows and import that file again.
          </p>
          {job.failedRowsUrl && (
            <a className="button" href={job.failedRowsUrl} download>
              Download failed rows
            </a>
          )}
        </div>
      )}
      {job.errors.length > 0 && (
        <RowErrors errors={job.errors} caption="Failed rows" total={job.failedCount} />
      )}
      <div className="form-actions">
        <Link className="button button-primary" to="/contacts">
          Go to contacts
        </Link>
        <button type="button" className="button" onClick={onAgain}>
          Import another file
        </button>
      </div>
    </>
  );
}
