import { useRef, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { useMutation, type AnyVariables, type UseQueryResponse } from "urql";
import { ConfirmDialog } from "../components/dialogs";
import { ListPage } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import { usePageQuery } from "../components/QueryState";
import { Badge, NoticeBar, noticeOf, type Notice } from "../components/ui";
import { contactPath, plural } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import {
  ContactDuplicatesDocument,
  DismissDuplicateDocument,
  DuplicateCandidatesDocument,
  MergeSameEmailDuplicatesDocument,
  type DuplicateCandidateRowsFragment,
  type DuplicateContactFragment,
} from "./duplicates.generated";
import { DUPLICATES_CONTEXT, likelihood, mergePath, reasonsInWords } from "./reasons";
import "./duplicates.css";

const PAGE_SIZE = 25;
const FAILED = "Something went wrong.";

type Candidate = DuplicateCandidateRowsFragment["edges"][number]["node"];
type Connection = DuplicateCandidateRowsFragment;

const NO_PAIRS: Connection = {
  totalCount: 0,
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  edges: [],
};

/**
 * Possible duplicates, best first: every pair waiting for review, or with `?contact=<id>`
 * that contact's. Each pair says why and how sure, and can be merged or dismissed.
 */
export function DuplicatesPage() {
  const [params] = useSearchParams();
  const contactId = params.get("contact");
  return contactId ? <ContactDuplicates key={contactId} contactId={contactId} /> : <AllDuplicates />;
}

function AllDuplicates() {
  const [params] = useSearchParams();
  const query = usePageQuery(DuplicateCandidatesDocument, pageArgs(params, PAGE_SIZE), DUPLICATES_CONTEXT);
  const [notice, setNotice] = useState<Notice | null>(null);
  const sameEmail = query[0].data?.sameEmailDuplicateCount ?? 0;
  return (
    <CandidateList
      title="Duplicates"
      noun={["pair of contacts", "pairs of contacts"]}
      query={query}
      connection={(data) => data.duplicateCandidates}
      notice={notice}
      onNotice={setNotice}
      actions={sameEmail > 0 && <MergeSameEmail count={sameEmail} onNotice={setNotice} />}
      empty={
        <p>
          No possible duplicates to review. Contacts are compared as they are created, edited and imported; pairs
          marked “Not a duplicate” are not suggested again.
        </p>
      }
    />
  );
}

function ContactDuplicates({ contactId }: { contactId: string }) {
  const [params] = useSearchParams();
  const query = usePageQuery(
    ContactDuplicatesDocument,
    { id: contactId, ...pageArgs(params, PAGE_SIZE) },
    DUPLICATES_CONTEXT,
  );
  const [notice, setNotice] = useState<Notice | null>(null);
  const { data, fetching } = query[0];
  const contact = data?.contact;
  const name = contact?.fullName;
  return (
    <>
      <p className="breadcrumb">
        {contact ? (
          <Link to={contactPath(contact.id)}>← {contact.fullName}</Link>
        ) : (
          <Link to="/duplicates">← All duplicates</Link>
        )}
      </p>
      <CandidateList
        title={name ? `Possible duplicates of ${name}` : "Possible duplicates"}
        noun={["possible duplicate", "possible duplicates"]}
        query={query}
        connection={(found) => found.contact?.duplicates ?? NO_PAIRS}
        notice={notice}
        onNotice={setNotice}
        first={contactId}
        actions={
          <Link className="button" to="/duplicates">
            All duplicates
          </Link>
        }
        empty={
          data && !contact && !fetching ? (
            <p>This contact does not exist or was deleted (or merged into another).</p>
          ) : (
            <p>
              {name ?? "This contact"} has no possible duplicates: no other contact has the same email address or
              phone number, or a similar name at the same company, in the same city or at the same email domain.
            </p>
          )
        }
      />
    </>
  );
}

function CandidateList<Data, Variables extends AnyVariables>({
  title,
  noun,
  query,
  connection,
  notice,
  onNotice,
  actions,
  empty,
  first,
}: {
  title: string;
  noun: [string, string];
  query: UseQueryResponse<Data, Variables>;
  connection: (data: Data) => Connection;
  notice: Notice | null;
  onNotice: (notice: Notice) => void;
  actions?: ReactNode;
  empty: ReactNode;
  /** The contact the list is about: named first in each pair. */
  first?: string;
}) {
  const [{ fetching: dismissing }, dismiss] = useMutation(DismissDuplicateDocument);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function notDuplicate(candidate: Candidate) {
    setBusyId(candidate.id);
    const result = await dismiss({ input: { id: candidate.id } }, DUPLICATES_CONTEXT);
    setBusyId(null);
    const problem = mutationProblem(result, result.data?.dismissDuplicate, FAILED);
    const names = candidate.contacts.map((c) => c.fullName).join(" and ");
    onNotice(noticeOf(problem, `${names} are not duplicates: this pair will not be suggested again.`));
  }

  return (
    <ListPage
      title={title}
      noun={noun}
      filtered={false}
      actions={actions}
      before={<NoticeBar notice={notice} />}
      toolbar={null}
      query={query}
      connection={connection}
      empty={empty}
      head={
        <>
          <th scope="col">Contacts</th>
          <th scope="col">Why</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </>
      }
      cells={(candidate) => {
        const contacts = ordered(candidate.contacts, first);
        const names = contacts.map((c) => c.fullName).join(" and ");
        const chance = likelihood(candidate.score);
        return (
          <>
            <th scope="row" className="duplicate-pair">
              {contacts.map((contact) => (
                <DuplicateContact key={contact.id} contact={contact} />
              ))}
            </th>
            <td data-label="Why" className="duplicate-why">
              <ul className="duplicate-reasons">
                {reasonsInWords(candidate.reasons).map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              <Badge tone={chance.tone}>{chance.text}</Badge>{" "}
              <span className="subtle">score {candidate.score} of 100</span>
            </td>
            <td className="duplicate-actions">
              <Link
                className="button button-primary"
                to={mergePath(contacts.map((c) => c.id))}
                aria-label={`Review and merge ${names}`}
              >
                Review and merge
              </Link>
              <button
                type="button"
                className="button"
                disabled={dismissing && busyId === candidate.id}
                aria-label={`${names}: not a duplicate`}
                onClick={() => void notDuplicate(candidate)}
              >
                Not a duplicate
              </button>
            </td>
          </>
        );
      }}
    />
  );
}

/** The pair with `first` (the contact the page is about) first. */
function ordered(contacts: readonly DuplicateContactFragment[], first?: string) {
  return [...contacts].sort((a, b) => Number(b.id === first) - Number(a.id === first));
}

function DuplicateContact({ contact }: { contact: DuplicateContactFragment }) {
  const phones = contact.phones.map((p) => p.international).join(", ");
  return (
    <div className="duplicate-contact">
      <Link to={contactPath(contact.id)}>{contact.fullName}</Link>
      {contact.archived && <Badge tone="muted">Archived</Badge>}
      <span className="subtle">{contact.email || "No email"}</span>
      {contact.company && <span className="subtle">{contact.company.name}</span>}
      {phones && <span className="subtle">{phones}</span>}
    </div>
  );
}

/** "Merge all with the same email": the certain cases, after a confirmation that counts them. */
function MergeSameEmail({ count, onNotice }: { count: number; onNotice: (notice: Notice) => void }) {
  const [open, setOpen] = useState(false);
  const merged = useRef(0);
  const [, mergeBatch] = useMutation(MergeSameEmailDuplicatesDocument);

  /** Batch after batch (each a few seconds at most) until none remain or one merges nothing. */
  async function mergeAll(): Promise<string | null> {
    let total = 0;
    const problems: string[] = [];
    for (;;) {
      const result = await mergeBatch({ input: null }, DUPLICATES_CONTEXT);
      const payload = result.data?.mergeSameEmailDuplicates;
      if (!payload) {
        problems.push(mutationProblem(result, payload, FAILED) ?? FAILED);
        break;
      }
      total += payload.merged;
      problems.push(...payload.errors.map((e) => e.message).filter((m) => !problems.includes(m)));
      if (!payload.remaining || !payload.merged) break;
    }
    merged.current = total;
    if (!problems.length) return null;
    const done = total ? `${plural(total, "contact was", "contacts were")} merged. ` : "";
    return `${done}${problems.join(" ")}`;
  }

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Merge all with the same email ({count})
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Merge ${plural(count, "contact that shares", "contacts that share")} an email with another?`}
        description={
          <>
            <p>
              Of each set of contacts with the same email address, the one with portal access (else the oldest) is
              kept, with its own details. The other {plural(count, "contact is", "contacts are")} then deleted: their
              notes, timeline, groups, products, phone numbers, messages and campaign history move to the contact
              kept.
            </p>
            <p>This cannot be undone.</p>
          </>
        }
        confirmLabel={`Merge ${plural(count, "contact", "contacts")}`}
        action={mergeAll}
        onDone={() =>
          onNotice({
            tone: "ok",
            text: `Merged ${plural(merged.current, "contact", "contacts")} into the contact sharing their email.`,
          })
        }
      />
    </>
  );
}
