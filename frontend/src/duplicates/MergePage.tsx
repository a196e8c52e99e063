import { useId, useState, type CSSProperties, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { ConfirmDialog } from "../components/dialogs";
import { QueryState, usePageQuery } from "../components/QueryState";
import { Badge, NoticeBar, PageHeader, useTitle, type Notice } from "../components/ui";
import type { PortalStatus } from "../gql/schema";
import {
  addressLines,
  CHANNELS,
  CONTACT_STATUSES,
  CONTACT_TYPES,
  contactPath,
  formatDate,
  keys,
  PHONE_TYPES,
  plural,
  PORTAL_STATUSES,
  TITLES,
} from "../lib/format";
import { ContactsToMergeDocument, MergeContactsDocument, type MergeContactFragment } from "./duplicates.generated";
import { DUPLICATES_CONTEXT, mergePath } from "./reasons";
import "./duplicates.css";

type Contact = MergeContactFragment;
type UserError = { field?: readonly string[] | null; message: string };

/** The merge service takes at most 10 contacts into the one kept. */
const MAX_CONTACTS = 11;

/** The details whose value the user picks, by the API's field names. */
const CHOSEN: { field: string; label: string; text: (c: Contact) => string }[] = [
  { field: "title", label: "Title", text: (c) => (c.title ? TITLES[c.title] : "") },
  { field: "firstName", label: "First name", text: (c) => c.firstName },
  { field: "lastName", label: "Last name", text: (c) => c.lastName },
  { field: "email", label: "Email", text: (c) => c.email ?? "" },
  { field: "jobTitle", label: "Job title", text: (c) => c.jobTitle ?? "" },
  { field: "type", label: "Type", text: (c) => CONTACT_TYPES[c.type] },
  { field: "status", label: "Status", text: (c) => CONTACT_STATUSES[c.status] },
  { field: "company", label: "Company", text: (c) => c.company?.name ?? "" },
  { field: "address", label: "Address", text: (c) => addressLines(c.address).join(", ") },
  { field: "avatar", label: "Photo", text: (c) => (c.avatarThumbnailUrl ? "Photo" : "") },
];

const list = (items: string[]) => (items.length ? items.join(", ") : "");
const count = (n: number) => (n ? String(n) : "");

/** What every contact brings, all of it moved to the one kept. */
const MOVED: { label: string; hint: string; text: (c: Contact) => string }[] = [
  {
    label: "Phone numbers",
    hint: "All kept, each number once",
    text: (c) => list(c.phones.map((p) => `${p.international} (${PHONE_TYPES[p.type].toLowerCase()})`)),
  },
  {
    label: "Portal access",
    hint: "One account is kept: active, then invited",
    text: (c) => PORTAL_STATUSES[c.portal.status],
  },
  {
    label: "Consent",
    hint: "The latest decision per channel is kept",
    text: (c) => list(keys(CHANNELS).filter((channel) => c.preferences[lower(channel)]).map((ch) => CHANNELS[ch])),
  },
  { label: "Groups", hint: "All kept", text: (c) => list(c.groups.map((g) => g.name)) },
  { label: "Products", hint: "All kept", text: (c) => list(c.products.map((p) => p.name)) },
  { label: "Notes", hint: "All kept", text: (c) => count(c.notes.totalCount) },
  { label: "Timeline events", hint: "All kept", text: (c) => count(c.timeline.totalCount) },
  { label: "Messages", hint: "All kept", text: (c) => count(c.messages.totalCount) },
  { label: "Created", hint: "", text: (c) => formatDate(c.createdAt) },
];

function lower<Channel extends string>(channel: Channel) {
  return channel.toLowerCase() as Lowercase<Channel>;
}

const PORTAL_RANK: Record<PortalStatus, number> = { NOT_INVITED: 0, INVITED: 1, ACTIVE: 2 };

/** Whose portal account survives the merge, as the server decides it: active before invited,
 * the one signed in to last, else the kept contact's. */
function portalSurvivor(kept: Contact, contacts: Contact[]): Contact {
  const rank = (c: Contact) =>
    [PORTAL_RANK[c.portal.status], c.portal.status === "ACTIVE" ? (c.portal.lastLoginAt ?? "") : "", c === kept ? 1 : 0] as const;
  return contacts.reduce((best, c) => {
    const [a, b] = [rank(c), rank(best)];
    return a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2]))) ? c : best;
  }, kept);
}

/** Whose value a field keeps unless the user picks: the kept contact's, else the first other
 * that has one; the email follows the portal account that survives. */
function defaultSource(field: (typeof CHOSEN)[number], kept: Contact, contacts: Contact[]): Contact {
  if (field.field === "email") {
    const survivor = portalSurvivor(kept, contacts);
    if (survivor.portal.status !== "NOT_INVITED") return survivor;
  }
  return [kept, ...contacts.filter((c) => c !== kept)].find((c) => field.text(c)) ?? kept;
}

/** The ids in the address (`?ids=a,b,c`), each once. */
function idsOf(params: URLSearchParams): string[] {
  const raw = (params.get("ids") ?? "").split(",").map((id) => id.trim());
  return [...new Set(raw.filter(Boolean))];
}

/**
 * Two or more contacts side by side (`/duplicates/merge?ids=a,b[,c...]`): the user picks the
 * contact to keep and, for each detail, whose value to keep, then merges the others into it.
 */
export function MergePage() {
  const [params] = useSearchParams();
  const ids = idsOf(params);
  useTitle("Merge contacts");
  const header = (
    <>
      <p className="breadcrumb">
        <Link to="/duplicates">← Duplicates</Link>
      </p>
      <PageHeader title="Merge contacts">
        <p className="subtle">Choose the contact to keep and, for each detail, the value to keep.</p>
      </PageHeader>
    </>
  );
  if (ids.length < 2 || ids.length > MAX_CONTACTS) {
    return (
      <>
        {header}
        <p role="alert">
          {ids.length < 2
            ? "Choose at least two contacts to merge."
            : `Merge at most ${MAX_CONTACTS} contacts at once: one kept and ${MAX_CONTACTS - 1} merged into it.`}{" "}
          <Link to="/duplicates">Back to duplicates</Link>
        </p>
      </>
    );
  }
  return (
    <>
      {header}
      <ContactsToMerge key={ids.join(",")} ids={ids} />
    </>
  );
}

function ContactsToMerge({ ids }: { ids: string[] }) {
  const query = usePageQuery(ContactsToMergeDocument, { ids }, DUPLICATES_CONTEXT);
  return (
    <QueryState
      query={query}
      loading="Loading the contacts…"
      select={(data) => data.nodes.filter((node): node is Contact => Boolean(node && "id" in node))}
    >
      {(contacts) =>
        contacts.length < ids.length ? (
          <p role="alert">
            {contacts.length === 0
              ? "These contacts no longer exist: they were merged or deleted."
              : `${plural(ids.length - contacts.length, "of these contacts no longer exists", "of these contacts no longer exist")}: merged or deleted.`}{" "}
            {contacts.length >= 2 ? (
              <Link to={mergePath(contacts.map((c) => c.id))}>Review the other {contacts.length}</Link>
            ) : (
              <Link to="/duplicates">Back to duplicates</Link>
            )}
          </p>
        ) : (
          <MergeForm contacts={contacts} />
        )
      }
    </QueryState>
  );
}

function MergeForm({ contacts }: { contacts: Contact[] }) {
  const navigate = useNavigate();
  const id = useId();
  const [keepId, setKeepId] = useState(contacts[0].id);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [, merge] = useMutation(MergeContactsDocument);
  const kept = contacts.find((c) => c.id === keepId) ?? contacts[0];
  const others = contacts.filter((c) => c !== kept);
  const sourceOf = (field: (typeof CHOSEN)[number]) =>
    contacts.find((c) => c.id === picked[field.field]) ?? defaultSource(field, kept, contacts);

  /** What went wrong, each problem naming the contact or the detail it is about. */
  function describe(errors: readonly UserError[]): string {
    return errors
      .map(({ field, message }) => {
        const [, part, index] = field ?? [];
        if (part === "keepId") return `${kept.fullName}: ${message}`;
        if (part === "mergeIds" && others[Number(index)]) return `${others[Number(index)].fullName}: ${message}`;
        if (part === "fields" && CHOSEN[Number(index)]) return `${CHOSEN[Number(index)].label}: ${message}`;
        return message;
      })
      .join(" ");
  }

  async function mergeNow(): Promise<string | null> {
    const input = {
      keepId: kept.id,
      mergeIds: others.map((c) => c.id),
      fields: CHOSEN.map((field) => ({ field: field.field, sourceId: sourceOf(field).id })),
    };
    const result = await merge({ input }, DUPLICATES_CONTEXT);
    const payload = result.data?.mergeContacts;
    const problem = payload
      ? payload.errors.length
        ? describe(payload.errors)
        : null
      : (result.error?.message ?? "Something went wrong.");
    if (problem) {
      setNotice({ tone: "error", text: `Nothing was merged. ${problem}` });
      return problem;
    }
    const names = others.map((c) => c.fullName).join(", ");
    navigate(contactPath(payload?.contact?.id ?? kept.id), {
      state: { notice: `Merged ${names} into ${payload?.contact?.fullName ?? kept.fullName}.` },
    });
    return null;
  }

  const cellClass = (c: Contact) => `merge-cell${c === kept ? " is-kept" : ""}`;
  const who = (c: Contact) => (
    <span className="merge-who">
      <span className="visually-hidden">, </span>
      {c.fullName}
      {c === kept ? " (kept)" : ""}
    </span>
  );

  return (
    <>
      <NoticeBar notice={notice} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(true);
        }}
      >
        <div className="merge-scroll">
          <div className="merge-grid" style={{ "--merge-count": contacts.length } as CSSProperties}>
            <div className="merge-row merge-keep" role="radiogroup" aria-labelledby={`${id}-keep`}>
              <div className="merge-label" id={`${id}-keep`}>
                Contact to keep
              </div>
              {contacts.map((c) => (
                <label key={c.id} className={cellClass(c)}>
                  <input type="radio" name="keep" checked={c === kept} onChange={() => setKeepId(c.id)} />
                  <span className="merge-value">
                    <strong>{c.fullName}</strong>
                    {c.archived && <Badge tone="muted">Archived</Badge>}
                    <span className="subtle merge-note">
                      {c === kept ? "Kept" : "Merged into the kept contact, then deleted"}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            <h2 className="merge-section">Details: the value to keep</h2>
            {CHOSEN.map((field) => {
              const source = sourceOf(field);
              return (
                <Row key={field.field} id={`${id}-${field.field}`} label={field.label} radio>
                  {contacts.map((c) => (
                    <label key={c.id} className={cellClass(c)}>
                      <input
                        type="radio"
                        name={field.field}
                        checked={c === source}
                        onChange={() => setPicked((now) => ({ ...now, [field.field]: c.id }))}
                      />
                      <span className="merge-value">
                        {field.field === "avatar" && c.avatarThumbnailUrl && (
                          <img className="merge-avatar" src={c.avatarThumbnailUrl} alt="" />
                        )}
                        <Value text={field.text(c)} />
                        {who(c)}
                      </span>
                    </label>
                  ))}
                </Row>
              );
            })}
            <h2 className="merge-section">Moved to the kept contact</h2>
            {MOVED.map((row) => (
              <Row key={row.label} id={`${id}-${row.label}`} label={row.label} hint={row.hint}>
                {contacts.map((c) => (
                  <div key={c.id} className={cellClass(c)}>
                    <span className="merge-value">
                      <Value text={row.text(c)} />
                      {who(c)}
                    </span>
                  </div>
                ))}
              </Row>
            ))}
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Merge {plural(contacts.length, "contact", "contacts")}
          </button>
          <Link className="button" to="/duplicates">
            Cancel
          </Link>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Merge ${plural(contacts.length, "contact", "contacts")} into ${kept.fullName}?`}
        description={
          <>
            <p>
              {kept.fullName} is kept, with the values chosen. {others.map((c) => c.fullName).join(", ")}{" "}
              {others.length === 1 ? "is" : "are"} then deleted: {others.length === 1 ? "its" : "their"} notes,
              timeline, groups, products, phone numbers, messages and campaign history move to {kept.fullName}.
            </p>
            <p>This cannot be undone.</p>
          </>
        }
        confirmLabel={`Merge ${plural(contacts.length, "contact", "contacts")}`}
        action={mergeNow}
        onDone={() => undefined}
      />
    </>
  );
}

function Row({
  id,
  label,
  hint,
  radio = false,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  radio?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="merge-row" role={radio ? "radiogroup" : "group"} aria-labelledby={`${id}-label`}>
      <div className="merge-label">
        <span id={`${id}-label`}>{label}</span>
        {hint && <span className="merge-hint">{hint}</span>}
      </div>
      {children}
    </div>
  );
}

function Value({ text }: { text: string }) {
  return text ? <span>{text}</span> : <span className="subtle">— none</span>;
}
