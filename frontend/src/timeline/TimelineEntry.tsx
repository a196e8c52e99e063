import { useEffect, useRef, useState, type Ref } from "react";
import { Link } from "react-router";
import { useMutation } from "urql";
import { ConfirmDialog, formErrors } from "../components/dialogs";
import type { Notice } from "../components/ui";
import { ALL_CONTEXT } from "../lib/client";
import { contactPath, formatDateTime } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { EventIcon } from "./icons";
import { NOTE_NOUNS } from "./kinds";
import { NOTE_FIELDS, NoteForm, type NoteValues } from "./NoteForm";
import { fromLocalInput, relativeTime, toLocalInput } from "./time";
import {
  DeleteNoteDocument,
  UpdateNoteDocument,
  type NoteFieldsFragment,
  type TimelineEventFieldsFragment,
} from "./timeline.generated";

type Event = TimelineEventFieldsFragment;
type Note = NoteFieldsFragment;

/** "Follow up" on a note: a task about what it says, for later. */
export type FollowUp = (note: Note) => void;

/** One event: its icon, what happened, who and when, and the note or the changes it holds. */
export function TimelineEntry({
  event,
  now,
  onNotice,
  onFollowUp,
}: {
  event: Event;
  now: number;
  onNotice: (notice: Notice) => void;
  onFollowUp?: FollowUp;
}) {
  const [editing, setEditing] = useState(false);
  // Leaving the editor puts the focus back on the Edit button it came from.
  const editButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    editButton.current?.focus();
  }, [editing]);
  const note = event.note;
  return (
    <li className="tl-entry">
      <EventIcon kind={event.kind} noteKind={note?.kind} />
      <div className="tl-content">
        <div className="tl-head">
          <div>
            <p className="tl-title">
              <Summary summary={event.summary} contact={event.contact} />
            </p>
            <p className="tl-meta">
              {event.actor} · <When iso={event.occurredAt} now={now} />
              {note && wasEdited(note) && (
                <>
                  {" · "}
                  <span title={`Edited ${formatDateTime(note.updatedAt)}`}>edited</span>
                </>
              )}
            </p>
          </div>
          {note && !editing && (onFollowUp || note.canEdit) && (
            <div className="tl-actions">
              {onFollowUp && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`Follow up on the ${noteName(note)}`}
                  onClick={() => onFollowUp(note)}
                >
                  Follow up
                </button>
              )}
              {note.canEdit && (
                <NoteActions note={note} editRef={editButton} onEdit={() => setEditing(true)} onNotice={onNotice} />
              )}
            </div>
          )}
        </div>
        {note &&
          (editing ? (
            <NoteEditor
              note={note}
              onDone={(saved) => {
                refocus.current = true;
                setEditing(false);
                if (saved) onNotice({ tone: "ok", text: "Note saved." });
              }}
            />
          ) : (
            <NoteBody body={note.body} />
          ))}
        {event.changes.length > 0 && <Changes changes={event.changes} />}
      </div>
    </li>
  );
}

/** The server's sentence, with the contact it names (on a company's timeline) as a link. */
function Summary({ summary, contact }: { summary: string; contact: Event["contact"] }) {
  if (!contact) return <>{summary}</>;
  const link = <Link to={contactPath(contact.id)}>{contact.fullName}</Link>;
  const at = summary.indexOf(contact.fullName);
  if (at < 0) {
    return (
      <>
        {summary} · {link}
      </>
    );
  }
  return (
    <>
      {summary.slice(0, at)}
      {link}
      {summary.slice(at + contact.fullName.length)}
    </>
  );
}

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}

// Saving a note stamps updatedAt a moment after createdAt; an edit comes later.
const wasEdited = (note: Note) =>
  new Date(note.updatedAt).getTime() - new Date(note.createdAt).getTime() > 2000;

function Changes({ changes }: { changes: Event["changes"] }) {
  return (
    <ul className="tl-changes">
      {changes.map((change) => (
        <li key={change.field}>
          <span className="tl-field">{change.field}:</span> <Value text={change.before} as="del" />{" "}
          <span role="img" aria-label="changed to">
            →
          </span>{" "}
          <Value text={change.after} as="ins" />
        </li>
      ))}
    </ul>
  );
}

function Value({ text, as: Tag }: { text: string; as: "del" | "ins" }) {
  return text ? <Tag>{text}</Tag> : <Tag className="tl-none">none</Tag>;
}

const LONG_NOTE = { characters: 600, lines: 8 };

/** A note's text as written; a long one shows its start until "Show all". */
function NoteBody({ body }: { body: string }) {
  const [expanded, setExpanded] = useState(false);
  const long = body.length > LONG_NOTE.characters || body.split("\n").length > LONG_NOTE.lines;
  const clamped = long && !expanded;
  return (
    <>
      <div className={`tl-note${clamped ? " is-clamped" : ""}`}>{body}</div>
      {long && (
        <button
          type="button"
          className="link-button tl-expand"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? "Show less" : "Show all"}
        </button>
      )}
    </>
  );
}

function noteName(note: Note): string {
  return `${NOTE_NOUNS[note.kind]} of ${formatDateTime(note.occurredAt)}`;
}

function NoteActions({
  note,
  editRef,
  onEdit,
  onNotice,
}: {
  note: Note;
  editRef: Ref<HTMLButtonElement>;
  onEdit: () => void;
  onNotice: (notice: Notice) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [, remove] = useMutation(DeleteNoteDocument);
  const noun = NOTE_NOUNS[note.kind];
  return (
    <>
      <button
        ref={editRef}
        type="button"
        className="button button-small button-quiet"
        aria-label={`Edit ${noteName(note)}`}
        onClick={onEdit}
      >
        Edit
      </button>
      <button
        type="button"
        className="button button-small button-quiet button-danger-quiet"
        aria-label={`Delete ${noteName(note)}`}
        onClick={() => setConfirming(true)}
      >
        Delete
      </button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Delete this ${noun}?`}
        description={
          <p>
            The {noteName(note)} by {note.author} is deleted for everyone. It cannot be undone.
          </p>
        }
        confirmLabel={`Delete ${noun}`}
        action={async () => {
          const result = await remove({ input: { id: note.id } }, ALL_CONTEXT);
          return mutationProblem(result, result.data?.deleteNote, "Could not delete the note.");
        }}
        onDone={() => onNotice({ tone: "ok", text: `The ${noun} was deleted.` })}
      />
    </>
  );
}

function NoteEditor({ note, onDone }: { note: Note; onDone: (saved: boolean) => void }) {
  const [, update] = useMutation(UpdateNoteDocument);
  const initial: NoteValues = { kind: note.kind, body: note.body, when: toLocalInput(note.occurredAt) };

  async function save(values: NoteValues) {
    // The input shows minutes: an untouched time keeps the note's own, seconds and all.
    const occurredAt =
      values.when === initial.when ? undefined : values.when === null ? null : fromLocalInput(values.when);
    const input = {
      id: note.id,
      kind: values.kind,
      body: values.body,
      ...(occurredAt !== undefined && { occurredAt }),
    };
    const result = await update({ input }, ALL_CONTEXT);
    const payload = result.data?.updateNote;
    if (payload?.note && payload.errors.length === 0) {
      onDone(true);
      return null;
    }
    return formErrors(result, payload, NOTE_FIELDS, "Could not save the note.");
  }

  return (
    <NoteForm
      label={`Edit ${noteName(note)}`}
      initial={initial}
      submitLabel="Save"
      autoFocus
      onSubmit={save}
      onCancel={() => onDone(false)}
    />
  );
}
