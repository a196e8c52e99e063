import { useMemo } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import type { DuplicateReason, PossibleDuplicatesInput } from "../../gql/schema";
import { contactPath } from "../../lib/format";
import { useSettled } from "../../lib/useSettled";
import { PossibleDuplicatesDocument, type PossibleDuplicatesQuery } from "./possibleDuplicates.generated";
import type { FormState } from "./state";
import "./possibleDuplicates.css";

type LookAlike = NonNullable<PossibleDuplicatesQuery["possibleDuplicates"][number]["contact"]>;
type Draft = Required<PossibleDuplicatesInput>;

/** Where a warning shows: under the field that makes the contact look like a saved one. */
export type WarningField = "email" | "phone" | "name";
export type Warning = { contact: LookAlike; field: WarningField; context: string | null };
export type Warnings = Record<WarningField, Warning[]>;

// A pause this long in the typing asks the server; shorter pauses ask nothing.
const SETTLE_MS = 400;
const contactsContext = { additionalTypenames: ["Contact"] };

/** What the form holds that the server compares, as `possibleDuplicates` takes it. */
function draftOf(form: FormState, contactId: string | undefined): Draft {
  return {
    firstName: form.firstName.trim() || null,
    lastName: form.lastName.trim() || null,
    email: form.email.trim() || null,
    phones: form.phones
      .filter((p) => p.number.trim())
      .map((p) => ({ number: p.number.trim(), country: p.country || null })),
    companyId: form.company?.id ?? null,
    city: form.address.city.trim() || null,
    contactId: contactId ?? null,
  };
}

/** Whether the draft holds anything the server could find a look-alike by (else ask nothing). */
function worthAsking(draft: Draft): boolean {
  const email = /.@./.test(draft.email ?? "");
  const phone = (draft.phones ?? []).some((p) => p.number.replace(/\D/g, "").length >= 6);
  const name = `${draft.firstName ?? ""}${draft.lastName ?? ""}`.length >= 2;
  return email || phone || (name && Boolean(draft.companyId || draft.city));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const fold = (text: string | null | undefined) =>
  (text ?? "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
const domainOf = (email: string | null | undefined) => fold(email).split("@")[1] || null;

/**
 * The reasons of an answer that still hold for what the form holds now: an email match while
 * the email is as it was asked, a phone match while the numbers are, a name match only while
 * everything is (a name counts with the company, city, email or phones beside it). So a
 * warning never speaks of what was typed before, and typing elsewhere leaves it in place
 * (a screen reader does not hear it again).
 */
function reasonsStillTrue(reasons: readonly DuplicateReason[], asked: Draft, now: Draft): Set<DuplicateReason> {
  const holds: Record<DuplicateReason, boolean> = {
    SAME_EMAIL: same(asked.email, now.email),
    SAME_PHONE: same(asked.phones, now.phones),
    SIMILAR_NAME: same(asked, now),
    SAME_COMPANY: same(asked, now),
  };
  return new Set(reasons.filter((reason) => holds[reason]));
}

/** What a similar name has in common with the draft beside it, in words. */
function nameContext(reasons: Set<DuplicateReason>, contact: LookAlike, draft: Draft): string | null {
  if (reasons.has("SAME_COMPANY")) return "at the same company";
  if (draft.city && fold(contact.address?.city) === fold(draft.city)) return "in the same city";
  if (draft.email && domainOf(contact.email) === domainOf(draft.email)) return "with the same email domain";
  return null;
}

/** Each look-alike under one field: the email, else the phone, else the name. */
function placed(answer: PossibleDuplicatesQuery["possibleDuplicates"], asked: Draft, now: Draft): Warnings {
  const warnings: Warnings = { email: [], phone: [], name: [] };
  for (const { contact, reasons } of answer) {
    if (!contact) continue;
    const holding = reasonsStillTrue(reasons, asked, now);
    if (holding.has("SAME_EMAIL")) warnings.email.push({ contact, field: "email", context: null });
    else if (holding.has("SAME_PHONE")) warnings.phone.push({ contact, field: "phone", context: null });
    else if (holding.has("SIMILAR_NAME")) {
      warnings.name.push({ contact, field: "name", context: nameContext(holding, contact, now) });
    }
  }
  return warnings;
}

/**
 * Saved contacts that look like the one in the form, by the field each warning goes under.
 * The server is asked once the typing pauses, never about the contact being edited.
 */
export function usePossibleDuplicates(form: FormState, contactId: string | undefined): Warnings {
  const draft = draftOf(form, contactId);
  const key = worthAsking(draft) ? JSON.stringify(draft) : "";
  const settled = useSettled(key, SETTLE_MS);
  const variables = useMemo(() => ({ input: settled ? (JSON.parse(settled) as Draft) : {} }), [settled]);
  const [{ data, operation }] = useQuery({
    query: PossibleDuplicatesDocument,
    variables,
    pause: !settled,
    context: contactsContext,
  });
  // The answer and the operation it answered arrive together: `asked` is what was typed then.
  const asked = operation?.variables.input as Draft | undefined;
  if (!data || !asked || !key) return { email: [], phone: [], name: [] };
  return placed(data.possibleDuplicates, asked, draft);
}

/** "Alice Adam at Renard Jacquot" */
function who(contact: LookAlike): string {
  return contact.company ? `${contact.fullName} at ${contact.company.name}` : contact.fullName;
}

function OpenLink({ contact }: { contact: LookAlike }) {
  // A new tab, so what is typed here stays.
  return (
    <Link to={contactPath(contact.id)} target="_blank" rel="noopener">
      open<span className="visually-hidden"> {contact.fullName} in a new tab</span>
    </Link>
  );
}

function Sentence({ warning, phoneCount }: { warning: Warning; phoneCount: number }) {
  const { contact } = warning;
  if (warning.field === "name") {
    const context = warning.context ? ` ${warning.context}` : "";
    return (
      <>
        A contact with a similar name{context}: <strong>{contact.fullName}</strong> — <OpenLink contact={contact} />
      </>
    );
  }
  const what =
    warning.field === "email" ? "this email" : phoneCount > 1 ? "one of these phone numbers" : "this phone number";
  return (
    <>
      <strong>{who(contact)}</strong> has {what} — <OpenLink contact={contact} />
    </>
  );
}

/**
 * The warnings under one field: a live region, present while empty so that a screen reader
 * politely reads each warning as it appears. Spans, as it may sit in a field's hint.
 */
export function DuplicateWarnings({
  warnings,
  phoneCount = 1,
  className,
}: {
  warnings: Warning[];
  phoneCount?: number;
  className?: string;
}) {
  return (
    <span className={`possible-duplicates${className ? ` ${className}` : ""}`} aria-live="polite">
      {warnings.map((warning) => (
        <span className="possible-duplicate" key={warning.contact.id}>
          <span aria-hidden="true" className="possible-duplicate-mark">
            ⚠{" "}
          </span>
          <Sentence warning={warning} phoneCount={phoneCount} />
        </span>
      ))}
    </span>
  );
}
