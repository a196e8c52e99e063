import { viewAsHeaders } from "../lib/client";
import { OFFLINE } from "../lib/problems";
import { formData, sendFile } from "../lib/upload";

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
export const AVATAR_TYPES = "image/jpeg,image/png,image/webp,image/gif";

export type AvatarUrls = { avatarUrl: string; avatarThumbnailUrl: string };

const TOO_LARGE = "The picture must be at most 5 MB.";

/**
 * Sends a contact's new avatar (staff for any contact, a portal contact for their own);
 * resolves to its URLs, or to the reason the server gave for refusing it.
 */
export async function uploadAvatar(contactId: string, file: File): Promise<AvatarUrls | string> {
  if (file.size > MAX_AVATAR_BYTES) return TOO_LARGE;
  const answer = await sendFile(`/avatars/contacts/${encodeURIComponent(contactId)}`, {
    body: formData({ file }),
    // From a view-as tab, the read-only view's refusal, not a change made as the staff.
    headers: viewAsHeaders(),
  });
  if (!answer) return OFFLINE;
  const urls = answer.payload as Partial<AvatarUrls> | null;
  if (answer.ok && urls?.avatarUrl && urls.avatarThumbnailUrl) {
    return { avatarUrl: urls.avatarUrl, avatarThumbnailUrl: urls.avatarThumbnailUrl };
  }
  if (answer.error?.message) return answer.error.message;
  if (answer.status === 413) return TOO_LARGE;
  return `The picture could not be saved (${answer.status}).`;
}
