import type {
  ImportDuplicateMode,
  ImportField,
  ImportInvalidValues,
  ImportJobState,
  ImportUnknownProducts,
} from "../gql/schema";

// Contact import: the job's states, the fields a column can fill, the duplicate modes.

/** States in which the server is still working: the wizard polls the job. */
export const ACTIVE_STATES: readonly ImportJobState[] = ["PREVIEWING", "QUEUED", "RUNNING"];
export const RUNNING_STATES: readonly ImportJobState[] = ["QUEUED", "RUNNING"];
export const FINISHED_STATES: readonly ImportJobState[] = ["DONE", "FAILED", "CANCELLED"];

/** Fields more than one column may fill (several phones, several group columns). */
export const REPEATABLE_FIELDS: readonly ImportField[] = [
  "PRIMARY_PHONE",
  "MOBILE_PHONE",
  "OFFICE_PHONE",
  "HOME_PHONE",
  "FAX",
  "OTHER_PHONE",
  "GROUPS",
  "PRODUCTS",
];

export const IMPORT_FIELDS: Record<ImportField, string> = {
  ID: "ID (from an export of this CRM)",
  TITLE: "Title",
  FIRST_NAME: "First name",
  LAST_NAME: "Last name",
  FULL_NAME: "Full name (first and last)",
  EMAIL: "Email",
  TYPE: "Type",
  STATUS: "Status",
  JOB_TITLE: "Job title",
  COMPANY: "Company",
  PRIMARY_PHONE: "Primary phone",
  MOBILE_PHONE: "Mobile phone",
  OFFICE_PHONE: "Office phone",
  HOME_PHONE: "Home phone",
  FAX: "Fax",
  OTHER_PHONE: "Other phone",
  ADDRESS_LINE1: "Address line 1",
  ADDRESS_LINE2: "Address line 2",
  CITY: "City",
  REGION: "Region",
  POSTAL_CODE: "Postal code",
  COUNTRY: "Country",
  GROUPS: "Groups",
  PRODUCTS: "Products",
  EMAIL_CONSENT: "Email consent",
  SMS_CONSENT: "SMS consent",
  PHONE_CONSENT: "Phone consent",
  POST_CONSENT: "Post consent",
  OWNER: "Owner (a staff user's email)",
  WEBSITE: "Website",
  INDUSTRY: "Industry",
  PHONE: "Phone",
  NOTES: "Notes",
};

/** The mapping select, in groups as a person reads a contact. */
export const IMPORT_FIELD_GROUPS: { label: string; fields: ImportField[] }[] = [
  {
    label: "Person",
    fields: [
      "ID",
      "TITLE",
      "FIRST_NAME",
      "LAST_NAME",
      "FULL_NAME",
      "EMAIL",
      "TYPE",
      "STATUS",
      "JOB_TITLE",
      "COMPANY",
      "OWNER",
    ],
  },
  {
    label: "Phones",
    fields: ["PRIMARY_PHONE", "MOBILE_PHONE", "OFFICE_PHONE", "HOME_PHONE", "FAX", "OTHER_PHONE"],
  },
  {
    label: "Address",
    fields: ["ADDRESS_LINE1", "ADDRESS_LINE2", "CITY", "REGION", "POSTAL_CODE", "COUNTRY"],
  },
  {
    label: "Groups, products and consent",
    fields: ["GROUPS", "PRODUCTS", "EMAIL_CONSENT", "SMS_CONSENT", "PHONE_CONSENT", "POST_CONSENT"],
  },
];

export const DUPLICATE_MODES: { value: ImportDuplicateMode; label: string; hint: string }[] = [
  {
    value: "SKIP",
    label: "Skip",
    hint: "A row whose email already belongs to a contact is left out; that contact stays as it is.",
  },
  {
    value: "UPDATE",
    label: "Update existing",
    hint: "The existing contact takes the row's values, only from mapped columns that are not empty.",
  },
  {
    value: "ERROR",
    label: "Report as error",
    hint: "The row is not imported and appears among the failed rows, to check by hand.",
  },
];

export const INVALID_VALUE_MODES: { value: ImportInvalidValues; label: string; hint: string }[] = [
  {
    value: "SKIP_ROW",
    label: "Leave the row out",
    hint: "A row with an invalid value is not imported; it is listed in the failed rows.",
  },
  {
    value: "DROP_FIELD",
    label: "Import the row without the invalid field",
    hint: "The rest of the row is imported; the failed-rows file says which field was left out.",
  },
];

export const UNKNOWN_PRODUCT_MODES: { value: ImportUnknownProducts; label: string; hint: string }[] = [
  {
    value: "REPORT",
    label: "Report the row",
    hint: "A product name the catalogue does not have fails its row.",
  },
  {
    value: "CREATE",
    label: "Create the product",
    hint: "Each new name is added to the catalogue once (names that differ only by case or accents are one).",
  },
];
