import { useState } from "react";
import { Badge, NoticeBar, type Notice } from "../../components/ui";
import {
  DELIVERY_STATUSES,
  DELIVERY_TONE,
  INVITATION_STATUSES,
  PORTAL_STATUSES,
  formatDateTime,
} from "../../lib/format";
import type { PortalAccessFieldsFragment } from "./invitations.generated";
import { useInviteActions } from "./useInviteActions";

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
  const invite = useInviteActions({ id: contactId, fullName, portal }, setNotice);
  const { busy } = invite;

  const latest = portal.latestInvitation;

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
        {invite.canSend && (
          <button
            type="button"
            className="button button-primary button-small"
            disabled={busy}
            onClick={() => void invite.send()}
          >
            {invite.sending ? "Sending…" : "Send invitation"}
          </button>
        )}
        {invite.canResend && (
          <button type="button" className="button button-small" disabled={busy} onClick={() => void invite.resend()}>
            {invite.resending ? "Sending…" : "Resend invitation"}
          </button>
        )}
        {invite.canRevoke && (
          <button
            type="button"
            className="button button-danger-quiet button-small"
            disabled={busy}
            onClick={invite.askRevoke}
          >
            {invite.revokeLabel}…
          </button>
        )}
        {portal.status === "NOT_INVITED" && !portal.canSendInvite && (
          <p className="hint">Only prospects and clients with an email can be invited.</p>
        )}
      </div>
      {invite.revokeDialog}
    </section>
  );
}
