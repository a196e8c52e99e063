import { Link } from "react-router";
import { plural } from "../../lib/format";
import type { ImportJobFieldsFragment as Job } from "../imports.generated";
import { RowErrors, Stat } from "../parts";
import { useImportTarget } from "../target";

/** Step 6: what happened. */
export function ResultStep({ job, onAgain }: { job: Job; onAgain: () => void }) {
  const copy = useImportTarget();
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
      {(job.failedCount > 0 || job.partialCount > 0) && (
        <div className="notice notice-warning failed-rows">
          <p>
            {job.failedCount > 0 && `${plural(job.failedCount, "row")} could not be imported. `}
            {job.partialCount > 0 && `${plural(job.partialCount, "row")} were imported without an invalid field. `}
            The file of failed rows has the original columns and an Error column: fix the rows and import
            that file again.
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
        <Link className="button button-primary" to={copy.listPath}>
          Go to {copy.nouns}
        </Link>
        <button type="button" className="button" onClick={onAgain}>
          Import another file
        </button>
      </div>
    </>
  );
}
