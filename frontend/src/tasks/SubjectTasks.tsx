import { useState } from "react";
import { useQuery } from "urql";
import { ErrorState, NoticeBar, type Notice } from "../components/ui";
import { Loading } from "../components/Loading";
import { useNow } from "../timeline/time";
import { TASK_CONTEXT } from "./labels";
import { TaskDialog, type Subject, type TaskDraft } from "./TaskDialog";
import { TaskList } from "./TaskList";
import { SubjectTasksDocument } from "./tasks.generated";

const SHOWN = 20;

/** Asks the section to open the new-task form with this draft ("Follow up"); a new `key` asks again. */
export type TaskRequest = { key: number; draft: TaskDraft };

export type SubjectTasksProps = {
  subject: Subject;
  request?: TaskRequest | null;
  headingId: string;
};

/** A contact's or a company's open tasks, soonest due first, and the form to add one. */
export default function SubjectTasks({ subject, request, headingId }: SubjectTasksProps) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: SubjectTasksDocument,
    variables: { id: subject.id, first: SHOWN },
    requestPolicy: "cache-and-network",
    context: TASK_CONTEXT,
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [draft, setDraft] = useState<TaskDraft | null>(null);
  const [handled, setHandled] = useState(request?.key);
  const now = useNow();
  if (request && request.key !== handled) {
    setHandled(request.key);
    setDraft(request.draft);
  }

  const node = data?.node;
  const connection = node && "tasks" in node ? node.tasks : null;
  const tasks = connection?.edges.map((e) => e.node) ?? [];
  return (
    <>
      <div className="section-head">
        <h2 id={headingId}>
          Tasks{" "}
          {connection && connection.totalCount > 0 && (
            <span className="subtle">({connection.totalCount} open)</span>
          )}
        </h2>
        <button type="button" className="button button-small" onClick={() => setDraft({ subject, due: "tomorrow" })}>
          Add task
        </button>
      </div>
      <NoticeBar notice={notice} />
      {error && !connection ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !connection && fetching ? (
        <Loading label="Loading tasks…" />
      ) : tasks.length === 0 ? (
        <p className="subtle">No open tasks.</p>
      ) : (
        <TaskList
          tasks={tasks}
          label={`Open tasks about ${subject.name}`}
          now={now}
          showSubject={false}
          onNotice={setNotice}
        />
      )}
      {connection && connection.totalCount > tasks.length && (
        <p className="subtle">The {SHOWN} due soonest of {connection.totalCount}.</p>
      )}
      <TaskDialog
        open={draft !== null}
        onOpenChange={(open) => !open && setDraft(null)}
        draft={draft ?? undefined}
        onSaved={(task) => setNotice({ tone: "ok", text: `Task added: ${task.title}.` })}
      />
    </>
  );
}
