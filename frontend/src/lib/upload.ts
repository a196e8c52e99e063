/** The server's answer to a file sent: its status, the JSON it returned (if any) and its first error. */
export type UploadAnswer = {
  ok: boolean;
  status: number;
  statusText: string;
  payload: Record<string, unknown> | null;
  error: { message?: string; extensions?: { code?: string } } | undefined;
};

type SendOptions = { method?: "POST" | "PUT" | "DELETE"; body?: FormData | File; headers?: Record<string, string> };

/**
 * Sends a file to one of the server's upload endpoints (outside GraphQL: the CSRF header, a
 * JSON answer), as form fields or as the body itself. Resolves to the server's answer, or to
 * null when the server could not be reached; each caller words the failures its own way.
 */
export async function sendFile(
  url: string,
  { method = "POST", body, headers = {} }: SendOptions,
): Promise<UploadAnswer | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      body,
      credentials: "same-origin",
      headers: { "X-CRM-CSRF": "1", Accept: "application/json", ...headers },
    });
  } catch {
    return null;
  }
  const payload = (await response.json().catch(() => null)) as UploadAnswer["payload"];
  const errors = payload?.errors as UploadAnswer["error"][] | undefined;
  return { ok: response.ok, status: response.status, statusText: response.statusText, payload, error: errors?.[0] };
}

/** Form fields for `sendFile`. */
export function formData(fields: Record<string, string | File>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}
