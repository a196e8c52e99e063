import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { Loading } from "../components/Loading";
import { ErrorState, PageHeader, useTitle } from "../components/ui";
import type { ImportTarget } from "../gql/schema";
import { FINISHED_STATES, RUNNING_STATES } from "./labels";
import { optionsOf, type Options } from "./options";
import { MappingStep } from "./steps/MappingStep";
import { OptionsStep } from "./steps/OptionsStep";
import { PreviewStep } from "./steps/PreviewStep";
import { ResultStep } from "./steps/ResultStep";
import { RunStep } from "./steps/RunStep";
import { UploadStep } from "./steps/UploadStep";
import { COMPANIES_TARGET, CONTACTS_TARGET, ImportTargetContext } from "./target";
import { NO_PROBLEMS, useImportJob, type Job, type Mapping, type Problems } from "./useImportJob";

type Step = "upload" | "mapping" | "preview" | "options" | "run" | "result";

const STEPS: { step: Step; label: string; title: string }[] = [
  { step: "upload", label: "Upload", title: "Choose a file" },
  { step: "mapping", label: "Match columns", title: "Match the columns" },
  { step: "preview", label: "Check", title: "Check the rows" },
  { step: "options", label: "Options", title: "Options" },
  { step: "run", label: "Import", title: "Importing" },
  { step: "result", label: "Result", title: "Result" },
];

/** The step a job opened from the address bar resumes at. */
function stepOf(job: Job): Step {
  if (RUNNING_STATES.includes(job.state)) return "run";
  if (FINISHED_STATES.includes(job.state)) return "result";
  if (job.state === "PREVIEWING" || job.state === "PREVIEWED") return "preview";
  return "mapping";
}

function delimiterName(delimiter: string): string {
  return { ",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars" }[delimiter] ?? `“${delimiter}”`;
}

/**
 * Import contacts (or companies) from a CSV or xlsx file: upload, match the file's columns to contact
 * fields, check the rows, choose what happens to duplicates, run, and see the result.
 * The job's id lives in the address (`?job=`), so a reload picks the wizard up again.
 */
export function ImportWizard({ target = "CONTACTS" }: { target?: ImportTarget } = {}) {
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  const importJob = useImportJob(jobId);
  const { job } = importJob;
  // A job opened from the address bar says what it imports.
  const copy = (job?.target ?? target) === "COMPANIES" ? COMPANIES_TARGET : CONTACTS_TARGET;
  const title = `Import ${copy.nouns}`;
  useTitle(title);

  // The step the person chose, for this job; running and finished jobs decide for themselves.
  const [chosen, setChosen] = useState<{ jobId: string | null; step: Step }>({ jobId, step: "upload" });
  let step: Step;
  if (!jobId) step = "upload";
  else if (!job) step = chosen.jobId === jobId ? chosen.step : "mapping";
  else if (RUNNING_STATES.includes(job.state) || FINISHED_STATES.includes(job.state)) step = stepOf(job);
  else if (chosen.jobId === jobId && chosen.step !== "upload") step = chosen.step;
  else step = stepOf(job);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const goTo = (next: Step) => {
    setProblems(NO_PROBLEMS);
    setChosen({ jobId, step: next });
  };

  // The mapping and options being edited, started from the job's own.
  const [mapping, setMapping] = useState<{ jobId: string; fields: Mapping } | null>(null);
  const fields =
    job && mapping?.jobId === job.id ? mapping.fields : (job?.columns.map((c) => c.field ?? null) ?? []);
  const [options, setOptions] = useState<{ jobId: string; values: Options } | null>(null);
  const values = job ? (options?.jobId === job.id ? options.values : optionsOf(job)) : null;

  // Each step starts at its heading, for keyboard and screen reader users.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    headingRef.current?.focus();
  }, [step]);

  async function runPreview() {
    if (!job || !values) return;
    setProblems(NO_PROBLEMS);
    const found = await importJob.preview(job, fields, values);
    if (found) setProblems(found);
    else goTo("preview");
  }

  async function runImport() {
    if (!job || !values) return;
    const local: Problems["fields"] = {};
    if (values.groupMode === "existing" && !values.groupId) local["options.groupId"] = "Choose a group.";
    if (values.groupMode === "new" && !values.newGroupName.trim()) {
      local["options.newGroupName"] = "Enter a name for the new group.";
    }
    if (Object.keys(local).length) {
      setProblems({ fields: local, general: [] });
      return;
    }
    setProblems(NO_PROBLEMS);
    const found = await importJob.start(job, fields, values);
    if (!found) return goTo("run");
    // A problem with the mapping is shown beside the columns.
    if (Object.keys(found.fields).some((key) => key.startsWith("columns"))) goTo("mapping");
    setProblems(found);
  }

  async function stop() {
    if (!job) return;
    const found = await importJob.cancel(job);
    const messages = found ? [...found.general, ...Object.values(found.fields)] : [];
    setProblems({ fields: {}, general: messages });
  }

  function startOver() {
    setMapping(null);
    setOptions(null);
    setChosen({ jobId: null, step: "upload" });
    setProblems(NO_PROBLEMS);
    setParams({});
  }

  let body: ReactNode;
  if (jobId && !job) {
    const { data, error } = importJob.query;
    body =
      error && !data ? (
        <ErrorState error={error} retry={importJob.reload} />
      ) : importJob.missing ? (
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
        busy={importJob.previewing}
        onBack={startOver}
        onNext={() => void runPreview()}
      />
    );
  } else if (step === "preview") {
    body = (
      <PreviewStep job={job} problems={problems} onBack={() => goTo("mapping")} onNext={() => goTo("options")} />
    );
  } else if (step === "options") {
    body = (
      <OptionsStep
        values={values}
        onChange={(next) => setOptions({ jobId: job.id, values: next })}
        checkedWith={optionsOf(job)}
        onRecheck={() => void runPreview()}
        rechecking={importJob.previewing}
        problems={problems}
        busy={importJob.starting}
        onBack={() => goTo("preview")}
        onStart={() => void runImport()}
      />
    );
  } else if (step === "run") {
    body = (
      <RunStep job={job} problems={problems} cancelling={importJob.cancelling} onCancel={() => void stop()} />
    );
  } else {
    body = <ResultStep job={job} onAgain={startOver} />;
  }

  const current = STEPS.findIndex((s) => s.step === step);
  return (
    <ImportTargetContext.Provider value={copy}>
      <p className="breadcrumb">
        <Link to={copy.listPath}>← {copy.nouns === "contacts" ? "Contacts" : "Companies"}</Link>
      </p>
      <PageHeader title={title}>
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
      <section
        className={`import-step${importJob.query.stale ? " is-stale" : ""}`}
        aria-labelledby="import-step-title"
      >
        <h2 id="import-step-title" ref={headingRef} tabIndex={-1} className="step-title">
          <span className="step-of">
            Step {current + 1} of {STEPS.length}:
          </span>{" "}
          {STEPS[current].title}
        </h2>
        {body}
      </section>
    </ImportTargetContext.Provider>
  );
}

/** The wizard for a file of companies (`/companies/import`). */
export function CompanyImportWizard() {
  return <ImportWizard target="COMPANIES" />;
}
