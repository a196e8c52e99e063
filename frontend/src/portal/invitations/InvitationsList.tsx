import { Link, useSearchParams } from "react-router";
import { usePageQuery } from "../../components/QueryState";
import { ListPage, ParamSelect } from "../../components/ListPage";
import { pageArgs } from "../../components/Pager";
import { Badge } from "../../components/ui";
import type { DeliveryStatus, InvitationStatus } from "../../gql/schema";
import { ALL_TYPENAMES } from "../../lib/client";
import {
  DELIVERY_STATUSES,
  DELIVERY_TONE,
  INVITATION_STATUSES,
  contactPath,
  formatDateTime,
  keys,
} from "../../lib/format";
import { oneOf } from "../../lib/listParams";
import { InvitationsDocument } from "./invitations.generated";

const PAGE_SIZE = 25;

const STATUS_TONE = {
  PENDING: "info",
  ACCEPTED: "good",
  REVOKED: "muted",
  EXPIRED: "muted",
  SUPERSEDED: "muted",
} as const;
const context = { additionalTypenames: [...ALL_TYPENAMES, "Invitation"] };

export function InvitationsList() {
  const [params] = useSearchParams();
  const status = oneOf<InvitationStatus>(params.get("status"), keys(INVITATION_STATUSES));
  const delivery = oneOf<DeliveryStatus>(params.get("delivery"), keys(DELIVERY_STATUSES));
  const query = usePageQuery(InvitationsDocument, {
      filter: {
        status: status ? [status] : null,
        deliveryStatus: delivery ? [delivery] : null,
      },
      ...pageArgs(params, PAGE_SIZE),
    }, context);
  const filtered = Boolean(status || delivery);

  return (
    <ListPage
      title="Invitations"
      noun={["invitation", "invitations"]}
      filtered={filtered}
      toolbar={
        <div className="toolbar" role="search" aria-label="Filter invitations">
          <ParamSelect param="status" label="Status" anyLabel="Any status" options={INVITATION_STATUSES} />
          <ParamSelect param="delivery" label="Delivery" anyLabel="Any delivery" options={DELIVERY_STATUSES} />
        </div>
      }
      query={query}
      connection={(data) => data.invitations}
      empty={
        filtered ? (
          <p>No invitations match these filters.</p>
        ) : (
          <p>
            No invitations yet. Invite a prospect or client from their contact page, or when you add
            them.
          </p>
        )
      }
      head={
        <>
          <th scope="col">Contact</th>
          <th scope="col">Email</th>
          <th scope="col">Status</th>
          <th scope="col">Delivery</th>
          <th scope="col">Sent</th>
          <th scope="col">Expires</th>
        </>
      }
      cells={(inv) => (
        <>
          <th scope="row" className="col-name">
            {inv.contact ? (
              <Link to={contactPath(inv.contact.id)}>{inv.contact.fullName}</Link>
            ) : (
              <span className="subtle">Deleted contact</span>
            )}
          </th>
          <td data-label="Email" className="col-email">
            {inv.email}
          </td>
          <td data-label="Status">
            <Badge tone={STATUS_TONE[inv.status]}>{INVITATION_STATUSES[inv.status]}</Badge>
          </td>
          <td data-label="Delivery">
            <Badge tone={DELIVERY_TONE[inv.deliveryStatus]}>{DELIVERY_STATUSES[inv.deliveryStatus]}</Badge>
            {inv.deliveryStatus === "FAILED" && inv.deliveryError && (
              <div className="field-error delivery-error">{inv.deliveryError}</div>
            )}
          </td>
          <td className="nowrap" data-label="Sent">
            {formatDateTime(inv.sentAt)}
          </td>
          <td className="nowrap" data-label="Expires">
            {inv.status === "PENDING" ? formatDateTime(inv.expiresAt) : "—"}
          </td>
        </>
      )}
    />
  );
}
