import type { ImportJobFieldsFragment as Job } from "../imports.generated";
import { RUNNING_STATES } from "../labels";
import { GeneralProblems, Progress } from "../parts";
import type { Problems } from "../useImportJob";

/** Step 5: progress. */
export function RunStep({
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
