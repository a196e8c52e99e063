import type { ReactNode } from "react";
import { Link } from "react-router";
import { Badge } from "../components/ui";
import type { ContactOrderField } from "../gql/schema";
import {
  CONTACT_STATUSES,
  CONTACT_TYPES,
  PORTAL_STATUSES,
  companyPath,
  contactPath,
  countryName,
  formatDate,
} from "../lib/format";
import { ownerName } from "../staff/OwnerSelect";
import type { ContactRowFragment } from "./contacts.generated";

export type ContactColumn =
  | "company"
  | "jobTitle"
  | "type"
  | "status"
  | "owner"
  | "email"
  | "phone"
  | "city"
  | "country"
  | "portal"
  | "lastContacted"
  | "created"
  | "updated";

type Spec = {
  label: string;
  /** The order it sorts by: only where the database has an index for that order. */
  sort?: ContactOrderField;
  className?: string;
  cell: (contact: ContactRowFragment) => ReactNode;
};

const none = <span className="subtle">—</span>;

/** The optional columns of a contacts table (the name always shows), in the order offered. */
export const CONTACT_COLUMNS: Record<ContactColumn, Spec> = {
  company: {
    label: "Company",
    className: "col-company",
    cell: (c) =>
      c.company ? (
        <Link to={companyPath(c.company.id)} title={c.company.name}>
          {c.company.name}
        </Link>
      ) : (
        none
      ),
  },
  jobTitle: { label: "Job title", className: "col-text", cell: (c) => c.jobTitle || none },
  type: { label: "Type", cell: (c) => CONTACT_TYPES[c.type] },
  status: { label: "Status", cell: (c) => CONTACT_STATUSES[c.status] },
  owner: { label: "Owner", className: "col-text", cell: (c) => (c.owner ? ownerName(c.owner) : none) },
  email: {
    label: "Email",
    className: "col-email",
    cell: (c) => (c.email ? <span title={c.email}>{c.email}</span> : none),
  },
  phone: {
    label: "Phone",
    className: "nowrap",
    cell: (c) => (c.phones.find((p) => p.isPrimary) ?? c.phones[0])?.international ?? none,
  },
  city: { label: "City", className: "col-text", cell: (c) => c.address?.city || none },
  country: {
    label: "Country",
    className: "col-text",
    cell: (c) => (c.address?.country ? countryName(c.address.country) : none),
  },
  portal: {
    label: "Portal",
    cell: (c) => (
      <>
        <Badge tone={c.portal.status === "ACTIVE" ? "good" : c.portal.status === "INVITED" ? "info" : "muted"}>
          {PORTAL_STATUSES[c.portal.status]}
        </Badge>
        {c.unreadMessageCount > 0 && (
          <Link className="badge badge-warn unread-badge" to={`${contactPath(c.id)}#messages`}>
            <span aria-hidden="true">✉ </span>
            {c.unreadMessageCount}
            <span className="visually-hidden"> unread message{c.unreadMessageCount === 1 ? "" : "s"}</span>
          </Link>
        )}
      </>
    ),
  },
  lastContacted: {
    label: "Last contacted",
    sort: "LAST_CONTACTED_AT",
    className: "nowrap",
    cell: (c) => formatDate(c.lastContactedAt),
  },
  created: { label: "Added", sort: "CREATED_AT", className: "nowrap", cell: (c) => formatDate(c.createdAt) },
  updated: { label: "Changed", sort: "UPDATED_AT", className: "nowrap", cell: (c) => formatDate(c.updatedAt) },
};

export const CONTACT_COLUMN_LABELS = Object.fromEntries(
  Object.entries(CONTACT_COLUMNS).map(([column, spec]) => [column, spec.label]),
) as Record<ContactColumn, string>;

export const KNOWN_CONTACT_COLUMNS = Object.keys(CONTACT_COLUMNS) as ContactColumn[];

/** What a contacts table shows until its user chooses (the server's default, too). */
export const DEFAULT_CONTACT_COLUMNS: ContactColumn[] = [
  "company",
  "type",
  "status",
  "email",
  "phone",
  "portal",
  "lastContacted",
];
