import { useCallback, useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { ErrorState, NoticeBar, type Notice } from "../components/ui";
import { Loading } from "../components/Loading";
import { formErrors } from "../components/dialogs";
import { ALL_CONTEXT } from "../lib/client";
import { ADDED_NOTICES, COMPANY_FILTERS, CONTACT_FILTERS, type Filter } from "./kinds";
import { NOTE_FIELDS, NoteForm, type ComposeRequest, type NoteValues } from "./NoteForm";
import { TimelineEntry, type FollowUp } from "./TimelineEntry";
import { fromLocalInput, useNow } from "./time";
import { AddNoteDocument, TimelineDocument } from "./timeline.generated";
import "./timeline.css";

const PAGE_SIZE = 20;
const NEW_NOTE: NoteValues = { kind: "OTHER", body: "", when: null };

export type TimelineProps = {
  subject: "contact" | "company";
  subjectId: string;
  /** "Log a call" from the page's menu: the composer takes the kind and the focus. */
  request?: ComposeRequest | null;
  /** Changes when the page saw something happen in the background (an email delivered): look again. */
  refreshKey?: string;
  /** "Follow up" on a note: the page opens its new-task form. */
  onFollowUp?: FollowUp;
};

/** A contact's or a company's timeline: the note composer, the kind chips and the events. */
export default function Timeline({ subject, subjectId, request, refreshKey, onFollowUp }: TimelineProps) {
  const filters = subject === "company" ? COMPANY_FILTERS : CONTACT_FILTERS;
  const [filter, setFilter] = useState<Filter>(filters[0]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [, addNote] = useMutation(AddNoteDocument);

  async function add(values: NoteValues) {
    const owner = subject === "company" ? { companyId: subjectId } : { contactId: subjectId };
    const occurredAt = values.when === null ? null : fromLocalInput(values.when);
    const input = { ...owner, kind: values.kind, body: values.body, occurredAt };
    const result = await addNote({ input }, ALL_CONTEXT);
    const payload = result.data?.addNote;
    if (payload?.note && payload.errors.length === 0) {
      setNotice({ tone: "ok", text: ADDED_NOTICES[payload.note.kind] });
      return null;
    }
    setNotice(null);
    return formErrors(result, payload, NOTE_FIELDS, "Could not save the note.");
  }

  return (
    <>
      <NoteForm label="New note" initial={NEW_NOTE} request={request} onSubmit={add} />
      <NoticeBar notice={notice} />
      <div className="tl-filters" role="group" aria-label="Show in the timeline">
        {filters.map((f) => (
          <button
            key={f.key}
            type="button"
            className="tl-filter"
            aria-pressed={f.key === filter.key}
            onClick={() => setFilter(f)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <EventList
        key={filter.key}
        subjectId={subjectId}
        filter={filter}
        refreshKey={refreshKey}
        onNotice={setNotice}
        onFollowUp={onFollowUp}
      />
    </>
  );
}

/** What a page tells the list: where the next one starts, and whether it has arrived. */
type PageState = {
  endCursor: string | null;
  hasNextPage: boolean;
  waiting: boolean;
  failed: boolean;
  count: number;
};

const samePage = (a: PageState | undefined, b: PageState) =>
  a !== undefined && (Object.keys(b) as (keyof PageState)[]).every((key) => a[key] === b[key]);

/**
 * The events, a page at a time: each page asks for what follows the page before it as it
 * is now, so a note added or deleted above moves the rest along instead of leaving a gap.
 * More load as "Show more" scrolls into view, or when it is pressed.
 */
function EventList({
  subjectId,
  filter,
  refreshKey,
  onNotice,
  onFollowUp,
}: {
  subjectId: string;
  filter: Filter;
  refreshKey?: string;
  onNotice: (notice: Notice) => void;
  onFollowUp?: FollowUp;
}) {
  const [wanted, setWanted] = useState(1);
  const [pages, setPages] = useState<PageState[]>([]);
  const now = useNow();
  const more = useRef<HTMLButtonElement>(null);

  const report = useCallback((depth: number, page: PageState) => {
    setPages((current) => {
      if (samePage(current[depth], page)) return current;
      const next = [...current];
      next[depth] = page;
      return next;
    });
  }, []);

  const shown: { depth: number; after: string | null }[] = [{ depth: 0, after: null }];
  for (let depth = 1; depth < wanted; depth++) {
    const before = pages[depth - 1];
    if (!before?.hasNextPage || !before.endCursor) break;
    shown.push({ depth, after: before.endCursor });
  }
  const last = pages[shown.length - 1];
  const loading = !last || last.waiting;
  // While a further page loads its button stays, so the focus stays on it.
  const hasMore = loading ? shown.length > 1 : last.hasNextPage;
  const loadMore = useCallback(() => setWanted(shown.length + 1), [shown.length]);

  useEffect(() => {
    const button = more.current;
    if (!hasMore || loading || !button || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore();
      },
      { rootMargin: "200px" },
    );
    observer.observe(button);
    return () => observer.disconnect();
  }, [hasMore, loading, loadMore]);

  const first = pages[0];
  const empty = first && first.count === 0 && !first.waiting && !first.failed;
  return (
    <>
      <ol className="timeline" aria-label={filter.key === "all" ? "Activity" : `Activity: ${filter.label}`}>
        {shown.map(({ depth, after }) => (
          <EventPage
            key={depth}
            depth={depth}
            subjectId={subjectId}
            kinds={filter.kinds}
            after={after}
            refreshKey={refreshKey}
            now={now}
            onReport={report}
            onNotice={onNotice}
            onFollowUp={onFollowUp}
          />
        ))}
      </ol>
      {empty && (
        <p className="subtle tl-empty">
          {filter.key === "all" ? "Nothing has happened here yet." : `No ${filter.label.toLowerCase()} yet.`}
        </p>
      )}
      {loading && <Loading label="Loading activity…" />}
      {hasMore && (
        <p className="tl-more">
          <button
            ref={more}
            type="button"
            className="button"
            aria-disabled={loading || undefined}
            onClick={() => !loading && loadMore()}
          >
            Show more
          </button>
        </p>
      )}
    </>
  );
}

function EventPage({
  depth,
  subjectId,
  kinds,
  after,
  refreshKey,
  now,
  onReport,
  onNotice,
  onFollowUp,
}: {
  depth: number;
  subjectId: string;
  kinds: Filter["kinds"];
  after: string | null;
  refreshKey?: string;
  now: number;
  onReport: (depth: number, page: PageState) => void;
  onNotice: (notice: Notice) => void;
  onFollowUp?: FollowUp;
}) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: TimelineDocument,
    variables: { id: subjectId, kinds, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
    context: ALL_CONTEXT,
  });
  const node = data?.node;
  const connection = node && "timeline" in node ? node.timeline : null;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  const hasNextPage = connection?.pageInfo.hasNextPage ?? false;
  const count = connection?.edges.length ?? 0;
  const failed = Boolean(error) && !connection;
  // Once a page has arrived, asking again (a change elsewhere) shows it meanwhile.
  const waiting = fetching && !connection && !error;

  // New events come first: the first page looking again brings them, the rest follow it.
  const seenKey = useRef(refreshKey);
  useEffect(() => {
    if (depth > 0 || seenKey.current === refreshKey) return;
    seenKey.current = refreshKey;
    refetch({ requestPolicy: "network-only" });
  }, [depth, refreshKey, refetch]);

  useEffect(() => {
    onReport(depth, { endCursor, hasNextPage, waiting, failed, count });
  }, [onReport, depth, endCursor, hasNextPage, waiting, failed, count]);

  if (error && failed) {
    return (
      <li className="tl-problem">
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      </li>
    );
  }
  return (
    <>
      {connection?.edges.map(({ node: event }) => (
        <TimelineEntry key={event.id} event={event} now={now} onNotice={onNotice} onFollowUp={onFollowUp} />
      ))}
    </>
  );
}
