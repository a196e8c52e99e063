import { createContext, useContext } from "react";
import type { ImportField, ImportTarget } from "../gql/schema";
import { IMPORT_FIELD_GROUPS } from "./labels";

/** What the wizard says and offers for what the rows become: contacts or companies. */
export type TargetCopy = {
  target: ImportTarget;
  /** "contact" / "contacts", as sentences name a row. */
  noun: string;
  nouns: string;
  listPath: string;
  templatePath: string;
  fieldGroups: { label: string; fields: ImportField[] }[];
  /** Fields one of which a row needs (its name). */
  nameFields: ImportField[];
  nameHint: string;
  /** What makes a row a duplicate of a record already in the CRM. */
  duplicateKey: string;
};

export const CONTACTS_TARGET: TargetCopy = {
  target: "CONTACTS",
  noun: "contact",
  nouns: "contacts",
  listPath: "/contacts",
  templatePath: "/import/template",
  fieldGroups: IMPORT_FIELD_GROUPS,
  nameFields: ["LAST_NAME", "FULL_NAME"],
  nameHint: "Last name or Full name: every contact needs a name",
  duplicateKey: "same email",
};

export const COMPANIES_TARGET: TargetCopy = {
  target: "COMPANIES",
  noun: "company",
  nouns: "companies",
  listPath: "/companies",
  templatePath: "/import/companies-template",
  fieldGroups: [
    { label: "Company", fields: ["ID", "COMPANY", "WEBSITE", "INDUSTRY", "PHONE", "NOTES", "PRODUCTS"] },
    {
      label: "Address",
      fields: ["ADDRESS_LINE1", "ADDRESS_LINE2", "CITY", "REGION", "POSTAL_CODE", "COUNTRY"],
    },
  ],
  nameFields: ["COMPANY"],
  nameHint: "Company: every company needs a name",
  duplicateKey: "same website domain, else same name",
};

export const ImportTargetContext = createContext<TargetCopy>(CONTACTS_TARGET);

export function useImportTarget(): TargetCopy {
  return useContext(ImportTargetContext);
}
