import { useState } from "react";
import { useMutation } from "urql";
import { ConfirmDialog } from "../../components/dialogs";
import { noticeOf, type Notice } from "../../components/ui";
import type { PortalStatus } from "../../gql/schema";
import { ALL_TYPENAMES } from "../../lib/client";
import { mutationProblem } from "../../lib/problems";
import { ResendInviteDocument, RevokeInviteDocument, SendInviteDocument } from "./invitations.generated";

const context = { additionalTypenames: [...ALL_TYPENAMES, "Invitation"] };
const FAILED = "Something went wrong.";

type Invitee = {
  id: string;
  fullName: string;
  portal: { status: PortalStatus; canSendInvite: boolean; canResendInvite: boolean };
};

/**
 * Send, resend and revoke a contact's portal invitation, as the Portal access box and the
 * contact options menu offer them: each reports its outcome through `onNotice`; revoking
 * asks first, in `revokeDialog` (render it once).
 */
export function useInviteActions(contact: Invitee, onNotice: (notice: Notice) => void) {
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [{ fetching: sending }, send] = useMutation(SendInviteDocument);
  const [{ fetching: resending }, resend] = useMutation(ResendInviteDocument);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeInviteDocument);
  const input = { input: { contactId: contact.id } };
  const active = contact.portal.status === "ACTIVE";
  const revokeLabel = active ? "Revoke portal access" : "Revoke invitation";

  const revokeDialog = (
    <ConfirmDialog
      open={revokeOpen}
      onOpenChange={setRevokeOpen}
      title={`${revokeLabel} for ${contact.fullName}?`}
      description={
        active ? (
          <p>They are signed out and can no longer sign in to the portal. You can invite them again later.</p>
        ) : (
          <p>The invitation link stops working. You can invite them again later.</p>
        )
      }
      confirmLabel={revokeLabel}
      action={async () => {
        const result = await revoke(input, context);
        return mutationProblem(result, result.data?.revokeInvite, "Could not revoke.");
      }}
      onDone={() => onNotice({ tone: "ok", text: active ? "Portal access revoked." : "Invitation revoked." })}
    />
  );

  return {
    sending,
    resending,
    busy: sending || resending || revoking,
    canSend: contact.portal.canSendInvite,
    canResend: contact.portal.canResendInvite,
    canRevoke: contact.portal.status !== "NOT_INVITED",
    revokeLabel,
    async send() {
      const result = await send(input, context);
      onNotice(noticeOf(mutationProblem(result, result.data?.sendInvite, FAILED), "Invitation sent."));
    },
    async resend() {
      const result = await resend(input, context);
      onNotice(
        noticeOf(
          mutationProblem(result, result.data?.resendInvite, FAILED),
          "A new invitation was sent; the earlier link no longer works.",
        ),
      );
    },
    askRevoke: () => setRevokeOpen(true),
    revokeDialog,
  };
}
