import type { PortalStatus } from "../gql/schema";

/** Only a message this long is accepted (the API's limit). */
export const MAX_MESSAGE_LENGTH = 20_000;

type Recipient = {
  canSendMessage: boolean;
  archived: boolean;
  portal: { status: PortalStatus; canSendInvite: boolean };
};

/**
 * Why the staff cannot send this contact a secure message now, or null when they can (the
 * API's `canSendMessage` decides; this only words the reason).
 */
export function messageRefusal(contact: Recipient): string | null {
  if (contact.canSendMessage) return null;
  if (contact.archived) return "Archived contacts cannot be messaged: restore them first";
  return contact.portal.canSendInvite
    ? "Invite them to the portal first"
    : "Only prospects and clients invited to the portal can be messaged";
}
