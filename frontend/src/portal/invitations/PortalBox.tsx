import { useState } from "react";
import { useMutation } from "urql";
import { ConfirmDialog } from "../../components/dialogs";
import { Badge, NoticeBar, noticeOf, type Notice } from "../../components/ui";
import { ALL_TYPENAMES } from "../../lib/client";
import {
  DELIVERY_STATUSES,
  DELIVERY_TONE,
  INVITATION_STATUSES,
  PORTAL_STATUSES,
  formatDateTime,
} from "../../lib/format";
import { mutationProblem } from "../../lib/problems";
import {
  ResendInviteDocument,
  RevokeInviteDocument,
  SendInviteDocument,
  type PortalAccessFieldsFragment,
} from "./invitations.generated";

const context = { additionalTypenames: [...ALL_TYPENAMES, "Invitation"] };

const STATUS_TONE = { NOT_INVITED: "muted", INVITED: "info", ACTIVE: "good" } as const;

/** The contact's portal access: status, dates, the latest invitation's delivery, actions. */
export function PortalBox({
  contactId,
  fullName,
  portal,
}: {
  contactId: string;
  fullName: string;
  portal: PortalAccessFieldsFragment;
}) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [{ fetching: sending }, send] = useMutation(SendInviteDocument);
  const [{ fetching: resending }, resend] = useMutation(ResendInviteDocument);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeInviteDocument);
  const busy = sending || resending || revoking;
  const input = { input: { contactId } };
  const failed = "Something went wrong.";

  const latest = portal.latestInvitation;
  const active = portal.status === "ACTIVE";
  const revokeLabel = active ? "Revoke portal access" : "Revoke invitation";

  return (
    <section className="card" aria-labelledby="contact-portal">
      <div className="section-head">
        <h2 id="contact-portal">Portal access</h2>
        <Badge tone={STATUS_TONE[portal.status]}>{PORTAL_STATUSES[portal.status]}</Badge>
      </div>
      <NoticeBar notice={notice} />
      <dl className="details">
        <dt>First invited</dt>
        <dd>{formatDateTime(portal.invitedAt)}</dd>
        <dt>Last invited</dt>
        <dd>{formatDateTime(portal.lastInvitedAt)}</dd>
        <dt>Activated</dt>
        <dd>{formatDateTime(portal.activatedAt)}</dd>
        <dt>Last sign-in</dt>
        <dd>{formatDateTime(portal.lastLoginAt)}</dd>
        {latest && (
          <>
            <dt>Latest invitation</dt>
            <dd>
              {INVITATION_STATUSES[latest.status]}
              {latest.status === "PENDING" && (
                <span className="subtle"> · expires {formatDateTime(latest.expiresAt)}</span>
              )}
              <div className="subtle">to {latest.email}</div>
            </dd>
            <dt>Delivery</dt>
            <dd>
              <Badge tone={DELIVERY_TONE[latest.deliveryStatus]}>
                {DELIVERY_STATUSES[latest.deliveryStatus]}
              </Badge>
              {latest.deliveryStatus === "FAILED" && latest.deliveryError && (
                <p className="field-error delivery-error">{latest.deliveryError}</p>
              )}
              {latest.deliveryStatus === "LOGGED" && (
                <p className="hint">
                  No mail server is configured: the invitation, link included, was written to the server's log.
                </p>
              )}
            </dd>
          </>
        )}
      </dl>
      <div className="portal-actions">
        {portal.canSendInvite && (
          <button
            type="button"
            className="button button-primary button-small"
            disabled={busy}
            onClick={async () => {
              const result = await send(input, context);
              const problem = mutationProblem(result, result.data?.sendInvite, failed);
              setNotice(noticeOf(problem, "Invitation sent."));
            }}
          >
            {sending ? "Sending…" : "Send invitation"}
          </button>
        )}
        {portal.canResendInvite && (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={async () => {
              const result = await resend(input, context);
              setNotice(
                noticeOf(
                  mutationProblem(result, result.data?.resendInvite, failed),
                  "A new invitation was sent; the earlier link no longer works.",
                ),
              );
            }}
          >
            {resending ? "Sending…" : "Resend invitation"}
          </button>
        )}
        {portal.status !== "NOT_INVITED" && (
          <button
            type="button"
            className="button button-danger-quiet button-small"
            disabled={busy}
            onClick={() => setRevokeOpen(true)}
          >
            {revokeLabel}…
          </button>
        )}
        {portal.status === "NOT_INVITED" && !portal.canSendInvite && (
          <p className="hint">Only prospects and clients with an email can be invited.</p>
        )}
      </div>
      <ConfirmDialog
        open={revokeOpen}
        onOpenChange={setRevokeOpen}
        title={`${revokeLabel} for ${fullName}?`}
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
        onDone={() => setNotice({ tone: "ok", text: active ? "Portal access revoked." : "Invitation revoked." })}
      />
    </section>
  );
}
