import { useId, useState } from "react";
import { Link } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog, FormDialog } from "../components/dialogs";
import { Badge, type Notice } from "../components/ui";
import { useAuth } from "../lib/auth";
import { companyPath, contactPath, formatDateTime } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { TASK_CHANGE_CONTEXT, TASK_KINDS, canLogAsNote, dueText } from "./labels";
import { TaskDialog, type Task } from "./TaskDialog";
import { CompleteTaskDocument, DeleteTaskDocument, ReopenTaskDocument } from "./tasks.generated";
import "./tasks.css";

/**
 * Tasks with a checkbox each (done or not, right there), when they are due, what they are
 * about, and an options menu to edit or delete. Completing a call, meeting or email about
 * someone asks whether to log it as a note.
 */
export function TaskList({
  tasks,
  label,
  onNotice,
  showSubject = true,
  now,
}: {
  tasks: readonly Task[];
  /** The list's accessible name ("Overdue"). */
  label: string;
  onNotice: (notice: Notice) => void;
  /** Off on a contact's page, where every task is about that contact. */
  showSubject?: boolean;
  now: number;
}) {
  const [editing, setEditing] = useState<Task | null>(null);
  const [deleting, setDeleting] = useState<Task | null>(null);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [, complete] = useMutation(CompleteTaskDocument);
  const [, reopen] = useMutation(ReopenTaskDocument);
  const [, remove] = useMutation(DeleteTaskDocument);

  async function markDone(task: Task, logAsNote: boolean): Promise<string | null> {
    setBusy(task.id);
    const result = await complete({ input: { id: task.id, logAsNote } }, TASK_CHANGE_CONTEXT);
    setBusy(null);
    const problem = mutationProblem(result, result.data?.completeTask, "Could not complete the task.");
    const logged = logAsNote ? ` Logged as a ${TASK_KINDS[task.kind].toLowerCase()} note.` : "";
    onNotice(problem ? { tone: "error", text: problem } : { tone: "ok", text: `Done: ${task.title}.${logged}` });
    return problem;
  }

  async function markOpen(task: Task) {
    setBusy(task.id);
    const result = await reopen({ input: { id: task.id } }, TASK_CHANGE_CONTEXT);
    setBusy(null);
    const problem = mutationProblem(result, result.data?.reopenTask, "Could not reopen the task.");
    onNotice(problem ? { tone: "error", text: problem } : { tone: "ok", text: `Reopened: ${task.title}.` });
  }

  function toggle(task: Task) {
    if (task.done) void markOpen(task);
    else if (canLogAsNote(task)) setCompleting(task);
    else void markDone(task, false);
  }

  return (
    <>
      <ul className="task-list" aria-label={label}>
        {tasks.map((task) => (
          <TaskItem
            key={task.id}
            task={task}
            now={now}
            busy={busy === task.id}
            showSubject={showSubject}
            onToggle={() => toggle(task)}
            onEdit={() => setEditing(task)}
            onDelete={() => setDeleting(task)}
          />
        ))}
      </ul>
      <TaskDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        task={editing}
        onSaved={(task) => onNotice({ tone: "ok", text: `Task saved: ${task.title}.` })}
      />
      <CompleteDialog task={completing} onClose={() => setCompleting(null)} onComplete={markDone} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this task?"
        description={<p>“{deleting?.title}” is deleted for everyone. It cannot be undone.</p>}
        confirmLabel="Delete task"
        action={async () => {
          if (!deleting) return null;
          const result = await remove({ input: { id: deleting.id } }, TASK_CHANGE_CONTEXT);
          return mutationProblem(result, result.data?.deleteTask, "Could not delete the task.");
        }}
        onDone={() => onNotice({ tone: "ok", text: `Task deleted: ${deleting?.title}.` })}
      />
    </>
  );
}

function TaskItem({
  task,
  now,
  busy,
  showSubject,
  onToggle,
  onEdit,
  onDelete,
}: {
  task: Task;
  now: number;
  busy: boolean;
  showSubject: boolean;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const id = useId();
  const { user } = useAuth();
  const someoneElse = task.assignee && task.assignee.id !== user?.id;
  return (
    <li className={`task-item${task.overdue ? " is-overdue" : ""}${task.done ? " is-done" : ""}`}>
      <input
        type="checkbox"
        className="task-check"
        checked={task.done}
        disabled={busy}
        aria-label={task.done ? `Done: ${task.title} (uncheck to reopen)` : `Mark done: ${task.title}`}
        aria-describedby={`${id}-when`}
        onChange={onToggle}
      />
      <div className="task-body">
        <p className="task-title">
          {task.title}
          {task.kind !== "TODO" && (
            <>
              {" "}
              <Badge tone="info">{TASK_KINDS[task.kind]}</Badge>
            </>
          )}
        </p>
        <p className="task-meta" id={`${id}-when`}>
          <When task={task} now={now} />
          {showSubject && <Subject task={task} />}
          {someoneElse && task.assignee && <span>For {task.assignee.name || task.assignee.email}</span>}
        </p>
        {task.notes && <p className="task-notes">{task.notes}</p>}
      </div>
      <ActionsMenu
        actions={[
          { label: "Edit…", onSelect: onEdit },
          { label: "Delete…", danger: true, separatorBefore: true, onSelect: onDelete },
        ]}
        trigger={
          <button type="button" className="options-button" aria-label={`Options for ${task.title}`}>
            <span aria-hidden="true">⋯</span>
          </button>
        }
      />
    </li>
  );
}

/** When it is due (overdue said in words) or when it was done. */
function When({ task, now }: { task: Task; now: number }) {
  if (task.done) return <span>Done {task.doneAt ? formatDateTime(task.doneAt) : ""}</span>;
  if (!task.dueAt) return <span>No due date</span>;
  const due = <time dateTime={task.dueAt}>{dueText(task.dueAt, now)}</time>;
  if (!task.overdue) return <span>Due {due}</span>;
  return (
    <span className="task-overdue">
      <strong>Overdue</strong>: was due {due}
    </span>
  );
}

function Subject({ task }: { task: Task }) {
  if (task.contact) return <Link to={contactPath(task.contact.id)}>{task.contact.fullName}</Link>;
  if (task.company) return <Link to={companyPath(task.company.id)}>{task.company.name}</Link>;
  return null;
}

/** Completing a call, a meeting or an email about someone: log it as a note too? */
function CompleteDialog({
  task,
  onClose,
  onComplete,
}: {
  task: Task | null;
  onClose: () => void;
  onComplete: (task: Task, logAsNote: boolean) => Promise<string | null>;
}) {
  const id = useId();
  const [log, setLog] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const who = task?.contact?.fullName ?? task?.company?.name ?? "";
  const kind = task ? TASK_KINDS[task.kind].toLowerCase() : "";
  return (
    <FormDialog
      open={task !== null}
      onOpenChange={(open) => {
        if (open) return;
        setLog(true);
        setProblem(null);
        onClose();
      }}
      title="Complete the task"
      description={<p>“{task?.title}”</p>}
      submitLabel="Complete"
      busy={busy}
      errors={problem ? [problem] : []}
      onSubmit={async () => {
        if (!task) return;
        setBusy(true);
        const failed = await onComplete(task, log);
        setBusy(false);
        setProblem(failed);
        if (!failed) {
          setLog(true);
          onClose();
        }
      }}
    >
      <div className="checkbox-row">
        <input
          id={id}
          type="checkbox"
          checked={log}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setLog(e.target.checked)}
        />
        <label htmlFor={id}>Log it as a note</label>
      </div>
      <p className="hint" id={`${id}-hint`}>
        A {kind} note on {who}’s timeline, now{task?.contact ? "; it updates “Last contacted”" : ""}.
      </p>
    </FormDialog>
  );
}
