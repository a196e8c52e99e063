import { useId, useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { Pager, pageArgs } from "../components/Pager";
import { Badge, Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import type { DeliveryStatus, InvitationStatus } from "../gql/graphql";
import { ALL_TYPENAMES } from "../lib/client";
import {
  DELIVERY_STATUSES,
  INVITATION_STATUSES,
  contactPath,
  formatDateTime,
  keys,
} from "../lib/format";
import { plural } from "../lib/groups";
import { oneOf, updateParams } from "../lib/listParams";

const PAGE_SIZE = 25;

const InvitationsQuery = graphql(`
  query Invitations(
    $filter: InvitationFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    invitations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          status
          email
          sentAt
          expiresAt
          acceptedAt
          deliveryStatus
          deliveryError
          contact {
            id
            fullName
          }
        }
      }
    }
  }
`);

const STATUS_TONE = {
  PENDING: "info",
  ACCEPTED: "good",
  REVOKED: "muted",
  EXPIRED: "muted",
  SUPERSEDED: "muted",
} as const;
const DELIVERY_TONE = { QUEUED: "neutral", SENT: "good", FAILED: "warn" } as const;

export function InvitationsList() {
  useTitle("Invitations");
  const uid = useId();
  const [params, setParams] = useSearchParams();
  const status = oneOf<InvitationStatus>(params.get("status"), keys(INVITATION_STATUSES));
  const delivery = oneOf<DeliveryStatus>(params.get("delivery"), keys(DELIVERY_STATUSES));
  const context = useMemo(() => ({ additionalTypenames: [...ALL_TYPENAMES, "Invitation"] }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: InvitationsQuery,
    variables: {
      filter: {
        status: status ? [status] : null,
        deliveryStatus: delivery ? [delivery] : null,
      },
      ...pageArgs(params, PAGE_SIZE),
    },
    requestPolicy: "cache-and-network",
    context,
  });
  const connection = data?.invitations;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const filtered = Boolean(status || delivery);

  return (
    <>
      <PageHeader title="Invitations">
        {connection && (
          <p className="subtle" aria-live="polite">
            {plural(connection.totalCount, "invitation")}
            {filtered ? (connection.totalCount === 1 ? " matches" : " match") : ""}
          </p>
        )}
      </PageHeader>
      <div className="toolbar" role="search" aria-label="Filter invitations">
        <div className="inline-field">
          <label htmlFor={`${uid}-status`}>Status</label>
          <select
            id={`${uid}-status`}
            value={status ?? ""}
            onChange={(e) => updateParams(params, setParams, { status: e.target.value || null })}
          >
            <option value="">Any status</option>
            {keys(INVITATION_STATUSES).map((s) => (
              <option key={s} value={s}>
                {INVITATION_STATUSES[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor={`${uid}-delivery`}>Delivery</label>
          <select
            id={`${uid}-delivery`}
            value={delivery ?? ""}
            onChange={(e) => updateParams(params, setParams, { delivery: e.target.value || null })}
          >
            <option value="">Any delivery</option>
            {keys(DELIVERY_STATUSES).map((s) => (
              <option key={s} value={s}>
                {DELIVERY_STATUSES[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading invitations…" />
      ) : rows.length === 0 ? (
        <Empty>
          {filtered ? (
            <p>No invitations match these filters.</p>
          ) : (
            <p>
              No invitations yet. Invite a prospect or client from their contact page, or when
              you add them.
            </p>
          )}
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Invitations</caption>
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Delivery</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((inv) => (
                <tr key={inv.id}>
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
                    <Badge tone={DELIVERY_TONE[inv.deliveryStatus]}>
                      {DELIVERY_STATUSES[inv.deliveryStatus]}
                    </Badge>
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && (
        <Pager pageInfo={connection.pageInfo} label="Invitations pages" />
      )}
    </>
  );
}
