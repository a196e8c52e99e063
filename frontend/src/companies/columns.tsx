import type { ReactNode } from "react";
import { Link } from "react-router";
import { contactPath, countryName, formatDate } from "../lib/format";
import { ownerName } from "../staff/OwnerSelect";
import type { CompaniesQuery } from "./companies.generated";

type CompanyRow = CompaniesQuery["companies"]["edges"][number]["node"];

export type CompanyColumn =
  | "industry"
  | "phone"
  | "website"
  | "contacts"
  | "primaryContact"
  | "owner"
  | "city"
  | "country"
  | "created";

type Spec = { label: string; className?: string; cell: (company: CompanyRow) => ReactNode };

const none = <span className="subtle">—</span>;

/** The optional columns of the companies list (the name always shows), in the order offered. */
export const COMPANY_COLUMNS: Record<CompanyColumn, Spec> = {
  industry: { label: "Industry", className: "col-text", cell: (c) => c.industry || none },
  phone: { label: "Phone", className: "nowrap", cell: (c) => c.phone?.international ?? none },
  website: {
    label: "Website",
    className: "col-email",
    cell: (c) =>
      c.website ? (
        <a href={c.website} target="_blank" rel="noreferrer noopener">
          {c.website.replace(/^https?:\/\//, "")}
        </a>
      ) : (
        none
      ),
  },
  contacts: { label: "Contacts", cell: (c) => c.contactCount },
  primaryContact: {
    label: "Primary contact",
    className: "col-text",
    cell: (c) =>
      c.primaryContact ? <Link to={contactPath(c.primaryContact.id)}>{c.primaryContact.fullName}</Link> : none,
  },
  owner: { label: "Owner", className: "col-text", cell: (c) => (c.owner ? ownerName(c.owner) : none) },
  city: { label: "City", className: "col-text", cell: (c) => c.address?.city || none },
  country: {
    label: "Country",
    className: "col-text",
    cell: (c) => (c.address?.country ? countryName(c.address.country) : none),
  },
  created: { label: "Added", className: "nowrap", cell: (c) => formatDate(c.createdAt) },
};

export const COMPANY_COLUMN_LABELS = Object.fromEntries(
  Object.entries(COMPANY_COLUMNS).map(([column, spec]) => [column, spec.label]),
) as Record<CompanyColumn, string>;

export const KNOWN_COMPANY_COLUMNS = Object.keys(COMPANY_COLUMNS) as CompanyColumn[];

export const DEFAULT_COMPANY_COLUMNS: CompanyColumn[] = [
  "industry",
  "phone",
  "website",
  "contacts",
  "primaryContact",
  "created",
];
