import { graphql } from "../gql";
import type {
  ImportDuplicateMode,
  ImportField,
  ImportJobState,
} from "../gql/graphql";

/** Contact import: the job the wizard follows, the mutations that move it on, and labels. */

export const ImportJobFields = graphql(`
  fragment ImportJobFields on ImportJob {
    id
    fileName
    format
    encoding
    delimiter
    state
    columns {
      index
      header
      field
      samples
    }
    options {
      duplicateMode
      group {
        id
        name
      }
      newGroupName
      defaultType
      defaultStatus
    }
    totalRows
    rowsDone
    createdCount
    updatedCount
    skippedCount
    failedCount
    preview {
      totalRows
      validRows
      invalidRows
      newRows
      existingRows
      inFileDuplicateRows
      errors {
        row
        column
        field
        message
        code
      }
    }
    errors {
      row
      column
      field
      message
      code
    }
    errorMessage
    failedRowsUrl
  }
`);

export const ImportJobQuery = graphql(`
  query ImportJob($id: ID!) {
    importJob(id: $id) {
      ...ImportJobFields
    }
  }
`);

export const PreviewImport = graphql(`
  mutation PreviewImport($input: PreviewImportInput!) {
    previewImport(input: $input) {
      job {
        ...ImportJobFields
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const StartImport = graphql(`
  mutation StartImport($input: StartImportInput!) {
    startImport(input: $input) {
      job {
        ...ImportJobFields
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const CancelImport = graphql(`
  mutation CancelImport($input: CancelImportInput!) {
    cancelImport(input: $input) {
      job {
        ...ImportJobFields
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

/** States in which the server is still working: the wizard polls the job. */
export const ACTIVE_STATES: readonly ImportJobState[] = ["PREVIEWING", "QUEUED", "RUNNING"];
export const RUNNING_STATES: readonly ImportJobState[] = ["QUEUED", "RUNNING"];
export const FINISHED_STATES: readonly ImportJobState[] = ["DONE", "FAILED", "CANCELLED"];

/** Fields more than one column may fill (several phones, several group columns). */
export const REPEATABLE_FIELDS: readonly ImportField[] = [
  "PRIMARY_PHONE",
  "MOBILE_PHONE",
  "OFFICE_PHONE",
  "HOME_PHONE",
  "FAX",
  "OTHER_PHONE",
  "GROUPS",
];

export const IMPORT_FIELDS: Record<ImportField, string> = {
  TITLE: "Title",
  FIRST_NAME: "First name",
  LAST_NAME: "Last name",
  FULL_NAME: "Full name (first and last)",
  EMAIL: "Email",
  TYPE: "Type",
  STATUS: "Status",
  JOB_TITLE: "Job title",
  COMPANY: "Company",
  PRIMARY_PHONE: "Primary phone",
  MOBILE_PHONE: "Mobile phone",
  OFFICE_PHONE: "Office phone",
  HOME_PHONE: "Home phone",
  FAX: "Fax",
  OTHER_PHONE: "Other phone",
  ADDRESS_LINE1: "Address line 1",
  ADDRESS_LINE2: "Address line 2",
  CITY: "City",
  REGION: "Region",
  POSTAL_CODE: "Postal code",
  COUNTRY: "Country",
  GROUPS: "Groups",
  EMAIL_CONSENT: "Email consent",
  SMS_CONSENT: "SMS consent",
  PHONE_CONSENT: "Phone consent",
  POST_CONSENT: "Post consent",
};

/** The mapping select, in groups as a person reads a contact. */
export const IMPORT_FIELD_GROUPS: { label: string; fields: ImportField[] }[] = [
  {
    label: "Person",
    fields: ["TITLE", "FIRST_NAME", "LAST_NAME", "FULL_NAME", "EMAIL", "TYPE", "STATUS", "JOB_TITLE", "COMPANY"],
  },
  {
    label: "Phones",
    fields: ["PRIMARY_PHONE", "MOBILE_PHONE", "OFFICE_PHONE", "HOME_PHONE", "FAX", "OTHER_PHONE"],
  },
  {
    label: "Address",
    fields: ["ADDRESS_LINE1", "ADDRESS_LINE2", "CITY", "REGION", "POSTAL_CODE", "COUNTRY"],
  },
  {
    label: "Groups and consent",
    fields: ["GROUPS", "EMAIL_CONSENT", "SMS_CONSENT", "PHONE_CONSENT", "POST_CONSENT"],
  },
];

export const DUPLICATE_MODES: { value: ImportDuplicateMode; label: string; hint: string }[] = [
  {
    value: "SKIP",
    label: "Skip",
    hint: "A row whose email already belongs to a contact is left out; that contact stays as it is.",
  },
  {
    value: "UPDATE",
    label: "Update existing",
    hint: "The existing contact takes the row's values, only from mapped columns that are not empty.",
  },
  {
    value: "ERROR",
    label: "Report as error",
    hint: "The row is not imported and appears among the failed rows, to check by hand.",
  },
];

/** Sends the file; resolves to the new job's id or rejects with the server's message. */
export async function uploadImportFile(file: File): Promise<string> {
  const body = new FormData();
  body.append("file", file);
  let response: Response;
  try {
    response = await fetch("/import/upload", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CRM-CSRF": "1", Accept: "application/json" },
    });
  } catch {
    throw new UploadError("Could not reach the server. Check your connection and try again.");
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok && payload && typeof (payload as { id?: unknown }).id === "string") {
    return (payload as { id: string }).id;
  }
  const first = (payload as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)
    ?.errors?.[0];
  throw new UploadError(
    first?.message ??
      (response.status === 413
        ? "The file is too large."
        : `The upload failed (${response.status} ${response.statusText}).`),
    first?.extensions?.code ?? (response.status === 401 ? "UNAUTHENTICATED" : undefined),
  );
}

export class UploadError extends Error {
  code?: string;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
