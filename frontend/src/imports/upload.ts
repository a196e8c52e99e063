import type { ImportTarget } from "../gql/schema";
import { OFFLINE } from "../lib/problems";

/** Sends the file; resolves to the new job's id or rejects with the server's message. */
export async function uploadImportFile(file: File, target: ImportTarget = "CONTACTS"): Promise<string> {
  const body = new FormData();
  body.append("file", file);
  body.append("target", target);
  let response: Response;
  try {
    response = await fetch("/import/upload", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CRM-CSRF": "1", Accept: "application/json" },
    });
  } catch {
    throw new UploadError(OFFLINE);
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
