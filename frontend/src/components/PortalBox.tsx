import { useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { PortalAccessFieldsFragment } from "../gql/graphql";
import { ALL_TYPENAMES } from "../lib/client";
import { DELIVERY_STATUSES, INVITATION_STATUSES, PORTAL_STATUSES, formatDateTime } from "../lib/format";
import { ConfirmDialog } from "./ConfirmDialog";
import { Badge } from "./ui";

export const PortalAccessFields = graphql(`
  fragment PortalAccessFields on PortalAccess {
    status
    invitedAt
    lastInvitedAt
    activatedAt
    lastLoginAt
    canSendInvite
    canResendInvite
    latestInvitation {
      id
      status
      email
      deliveryStatus
      deliveryError
      sentAt
      expiresAt
    }
  }
`);

const SendInvite = graphql(`
  mutation SendInvite($input: InviteInput!) {
    sendInvite(input: $input) {
      contact {
        id
        portal {
          ...PortalAccessFields
        }
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const ResendInvite = graphql(`
  mutation ResendInvite($input: InviteInput!) {
    resendInvite(input: $input) {
      contact {
        id
        portal {
          ...PortalAccessFields
        }
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const RevokeInvite = graphql(`
  mutation RevokeInvite($input: InviteInput!) {
    revokeInvite(input: $input) {
      contact {
        id
        portal {
          ...PortalAccessFields
        }
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

type Result = {
  error?: { message: string };
  errors?: readonly { message: string }[];
};

const STATUS_TONE = { NOT_INVITED: "muted", INVITED: "info", ACTIVE: "good" } as const;
const DELIVERY_TONE = { QUEUED: "neutral", SENT: "good", FAILED: "warn" } as const;

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
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [{ fetching: sending }, send] = useMutation(SendInvite);
  const [{ fetching: resending }, resend] = useMutation(ResendInvite);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeInvite);
  const context = { additionalTypenames: [...ALL_TYPENAMES, "Invitation"] };
  const busy = sending || resending || revoking;

  const outcome = (result: Result, success: string): boolean => {
    if (result.error || !result.errors) {
      setNotice({ tone: "error", text: result.error?.message ?? "Something went wrong." });
      return false;
    }
    if (result.errors.length) {
      setNotice({ tone: "error", text: result.errors.map((e) => e.message).join(" ") });
      return false;
    }
    setNotice({ tone: "ok", text: success });
    return true;
  };

  const latest = portal.latestInvitation;
  const active = portal.status === "ACTIVE";
  const revokeLabel = active ? "Revoke portal access" : "Revoke invitation";

  return (
    <section className="card" aria-labelledby="contact-portal">
      <div className="section-head">
        <h2 id="contact-portal">Portal access</h2>
        <Badge tone={STATUS_TONE[portal.status]}>{PORTAL_STATUSES[portal.status]}</Badge>
      </div>
      <div aria-live="polite">
        {notice && (
          <p
            className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`}
            role={notice.tone === "ok" ? "status" : "alert"}
          >
            {notice.text}
          </p>
        )}
      </div>
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
              const result = await send({ input: { contactId } }, context);
              outcome(
                { error: result.error, errors: result.data?.sendInvite.errors },
                "Invitation sent.",
              );
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
              const result = await resend({ input: { contactId } }, context);
              outcome(
                { error: result.error, errors: result.data?.resendInvite.errors },
                "A new invitation was sent; the earlier link no longer works.",
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
            onClick={() => {
              setRevokeError(null);
              setRevokeOpen(true);
            }}
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
        busy={revoking}
        error={revokeError}
        onConfirm={async () => {
          const result = await revoke({ input: { contactId } }, context);
          const payload = result.data?.revokeInvite;
          if (payload && payload.errors.length === 0) {
            setRevokeOpen(false);
            setNotice({ tone: "ok", text: active ? "Portal access revoked." : "Invitation revoked." });
          } else {
            setRevokeError(
              payload?.errors.map((e) => e.message).join(" ") ?? result.error?.message ?? "Could not revoke.",
            );
          }
        }}
      />
    </section>
  );
}
