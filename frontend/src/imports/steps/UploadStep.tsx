import { useId, useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../../lib/auth";
import { useImportTarget } from "../target";
import { UploadError, formatBytes, uploadImportFile } from "../upload";

/** Step 1: the file. */
export function UploadStep({ onUploaded }: { onUploaded: (jobId: string) => void }) {
  const uid = useId();
  const copy = useImportTarget();
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
      onUploaded(await uploadImportFile(file, copy.target));
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
        A CSV file or an Excel workbook (.xlsx) with one {copy.noun} per row and the column names in
        the first row. You will match the columns to {copy.noun} fields and check the rows before
        anything is saved.
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
        <Link className="button" to={copy.listPath}>
          Cancel
        </Link>
      </div>
      <div className="template-links">
        <h3>Not sure how to lay out the file?</h3>
        <p className="hint">Start from a template with every column the import understands and two example rows.</p>
        <p className="inline-links">
          <a className="button button-small" href={`${copy.templatePath}.csv`} download>
            Template (CSV)
          </a>
          <a className="button button-small" href={`${copy.templatePath}.xlsx`} download>
            Template (Excel)
          </a>
        </p>
      </div>
    </form>
  );
}
