import { useState, type ReactNode } from "react";
import { QueryState, usePageQuery } from "../components/QueryState";
import { NoticeBar, PageHeader, useTitle, type Notice } from "../components/ui";
import { useAuth } from "../lib/auth";
import { plural } from "../lib/format";
import { useNow } from "../timeline/time";
import { TASK_CONTEXT, startOfDay } from "./labels";
import { TaskDialog, type Task } from "./TaskDialog";
import { TaskList } from "./TaskList";
import { MyTasksDocument, type MyTasksQuery } from "./tasks.generated";

const SHOWN = 100;

type Connection = MyTasksQuery["open"];
const nodes = (connection: Connection) => connection.edges.map((e) => e.node);

/** My tasks: overdue, today, upcoming (and those with no due date), and the last done. */
export function TasksPage() {
  useTitle("My tasks");
  const { user } = useAuth();
  const query = usePageQuery(MyTasksDocument, { assigneeId: user?.id ?? "", first: SHOWN }, TASK_CONTEXT);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [adding, setAdding] = useState(false);
  const now = useNow();

  return (
    <>
      <PageHeader
        title="My tasks"
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add task
          </button>
        }
      />
      <NoticeBar notice={notice} />
      <QueryState query={query} loading="Loading your tasks…" select={(data) => data}>
        {(data) => <TaskSections data={data} now={now} onNotice={setNotice} />}
      </QueryState>
      <TaskDialog
        open={adding}
        onOpenChange={setAdding}
        onSaved={(task) => setNotice({ tone: "ok", text: `Task added: ${task.title}.` })}
      />
    </>
  );
}

function TaskSections({ data, now, onNotice }: { data: MyTasksQuery; now: number; onNotice: (n: Notice) => void }) {
  const tomorrow = startOfDay(now, 1).getTime();
  const open = nodes(data.open);
  const today = open.filter((t) => t.dueAt && new Date(t.dueAt).getTime() < tomorrow);
  const upcoming = open.filter((t) => !t.dueAt || new Date(t.dueAt).getTime() >= tomorrow);
  const list = (tasks: Task[], label: string) => <TaskList tasks={tasks} label={label} now={now} onNotice={onNotice} />;
  return (
    <div className="task-sections">
      <Section
        title="Overdue"
        tone="overdue"
        count={data.overdue.totalCount}
        shown={data.overdue.edges.length}
        empty="Nothing overdue."
      >
        {list(nodes(data.overdue), "Overdue tasks")}
      </Section>
      <Section title="Today" count={today.length} shown={today.length} empty="Nothing else due today.">
        {list(today, "Tasks due today")}
      </Section>
      <Section
        title="Upcoming"
        count={data.open.totalCount - today.length}
        shown={upcoming.length}
        empty="Nothing coming up."
      >
        {list(upcoming, "Upcoming tasks and those with no due date")}
      </Section>
      <Section
        title="Done"
        hint="The last ten done"
        count={data.done.edges.length}
        shown={data.done.edges.length}
        empty="Nothing done yet."
      >
        {list(nodes(data.done), "Tasks done lately")}
      </Section>
    </div>
  );
}

function Section({
  title,
  tone,
  count,
  shown,
  hint,
  empty,
  children,
}: {
  title: string;
  tone?: "overdue";
  count: number;
  shown: number;
  hint?: string;
  empty: string;
  children: ReactNode;
}) {
  const id = `tasks-${title.toLowerCase()}`;
  return (
    <section className={`card task-section${tone ? ` task-section-${tone}` : ""}`} aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="subtle">({count})</span>
      </h2>
      {hint && <p className="subtle task-section-hint">{hint}</p>}
      {shown === 0 ? <p className="subtle">{empty}</p> : children}
      {count > shown && (
        <p className="subtle">
          Showing the first {plural(shown, "task")} of {count}.
        </p>
      )}
    </section>
  );
}
