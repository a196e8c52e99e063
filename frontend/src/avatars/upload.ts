import { viewAsHeaders } from "../lib/client";
import { OFFLINE } from "../lib/problems";

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
export const AVATAR_TYPES = "image/jpeg,image/png,image/webp,image/gif";

export type AvatarUrls = { avatarUrl: string; avatarThumbnailUrl: string };

type Answer = Partial<AvatarUrls> & { errors?: { message?: string }[] };

/**
 * Sends a contact's new avatar (staff for any contact, a portal contact for their own);
 * resolves to its URLs, or to the reason the server gave for refusing it.
 */
export async function uploadAvatar(contactId: string, file: File): Promise<AvatarUrls | string> {
  if (file.size > MAX_AVATAR_BYTES) return "The picture must be at most 5 MB.";
  const body = new FormData();
  body.append("file", file);
  let response: Response;
  try {
    response = await fetch(`/avatars/contacts/${encodeURIComponent(contactId)}`, {
      method: "POST",
      body,
      credentials: "same-origin",
      // From a view-as tab, the read-only view's refusal, not a change made as the staff.
      headers: { "X-CRM-CSRF": "1", Accept: "application/json", ...viewAsHeaders() },
    });
  } catch {
    return OFFLINE;
  }
  const answer = (await response.json().catch(() => null)) as Answer | null;
  if (response.ok && answer?.avatarUrl && answer.avatarThumbnailUrl) {
    return { avatarUrl: answer.avatarUrl, avatarThumbnailUrl: answer.avatarThumbnailUrl };
  }
  if (answer?.errors?.[0]?.message) return answer.errors[0].message;
  if (response.status === 413) return "The picture must be at most 5 MB.";
  return `The picture could not be saved (${response.status}).`;
}
