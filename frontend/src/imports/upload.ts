import type { ImportTarget } from "../gql/schema";
import { OFFLINE } from "../lib/problems";
import { formData, sendFile } from "../lib/upload";

/** Sends the file; resolves to the new job's id or rejects with the server's message. */
export async function uploadImportFile(file: File, target: ImportTarget = "CONTACTS"): Promise<string> {
  const answer = await sendFile("/import/upload", { body: formData({ file, target }) });
  if (!answer) throw new UploadError(OFFLINE);
  const id = answer.payload?.id;
  if (answer.ok && typeof id === "string") return id;
  const { status, statusText, error } = answer;
  throw new UploadError(
    error?.message ?? (status === 413 ? "The file is too large." : `The upload failed (${status} ${statusText}).`),
    error?.extensions?.code ?? (status === 401 ? "UNAUTHENTICATED" : undefined),
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
