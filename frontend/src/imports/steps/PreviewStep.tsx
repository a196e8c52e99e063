import type { ImportJobFieldsFragment as Job } from "../imports.generated";
import { LookAlikeRows } from "../LookAlikeRows";
import { GeneralProblems, Progress, RowErrors, Stat } from "../parts";
import { useImportTarget } from "../target";
import type { Problems } from "../useImportJob";

/** Step 3: what the file holds. */
export function PreviewStep({
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
  const copy = useImportTarget();
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
        <Stat label={`New ${copy.nouns}`} value={p.newRows} />
        <Stat label="Already in the CRM" value={p.existingRows} hint={copy.duplicateKey} />
        <Stat label="Repeated in the file" value={p.inFileDuplicateRows} hint={`${copy.duplicateKey} as an earlier row`} />
        {p.partialRows > 0 && <Stat label="Without an invalid field" value={p.partialRows} />}
        {p.possibleDuplicateRows > 0 && (
          <Stat label="Like contacts in the CRM" value={p.possibleDuplicateRows} hint="phone or name" />
        )}
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
      <LookAlikeRows preview={p} />
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
