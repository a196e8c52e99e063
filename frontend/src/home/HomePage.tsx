import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import { QueryState, usePageQuery } from "../components/QueryState";
import { NoticeBar, PageHeader, usePassedNotice, useTitle, type Notice } from "../components/ui";
import type { ImportJobState } from "../gql/schema";
import { ALL_TYPENAMES } from "../lib/client";
import { CONTACT_STATUSES, CONTACT_TYPES, contactPath, countText, formatDateTime, plural } from "../lib/format";
import { browserTimeZone, startOfDay } from "../tasks/labels";
import { TaskList } from "../tasks/TaskList";
import { useNow } from "../timeline/time";
import { HomeDocument, type HomeQuery } from "./home.generated";
import "./home.css";

type Home = HomeQuery["home"];

// Any change to contacts, imports or tasks can alter what the page shows.
const HOME_CONTEXT = { additionalTypenames: [...ALL_TYPENAMES, "Task", "ImportJob"] };

/** Where a staff user starts the day: tasks due, contacts of late, counts, last imports. */
export function HomePage() {
  useTitle("Home");
  const [timeZone] = useState(browserTimeZone);
  const query = usePageQuery(HomeDocument, { timeZone }, HOME_CONTEXT);
  const [notice, setNotice] = usePassedNotice();
  return (
    <>
      <PageHeader title="Home">
        <p className="subtle">{new Date().toLocaleDateString(undefined, { dateStyle: "full" })}</p>
      </PageHeader>
      <NoticeBar notice={notice} />
      <QueryState query={query} loading="Loading your day…" select={(data) => data.home}>
        {(home) => (
          <div className="home-grid">
            <TasksDue tasks={home.tasksDue} onNotice={setNotice} />
            <Counts counts={home.counts} />
            <ContactLinks title="Recently viewed" contacts={home.recentlyViewed} empty="Contacts you open show here." />
            <ContactLinks title="Recently changed" contacts={home.recentlyChanged} empty="No contacts yet." />
            <LastImports imports={home.lastImports} />
          </div>
        )}
      </QueryState>
    </>
  );
}

function Card({ title, action, className, children }: {
  title: string;
  action?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const id = `home-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section className={`card home-card${className ? ` ${className}` : ""}`} aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

function TasksDue({ tasks, onNotice }: { tasks: Home["tasksDue"]; onNotice: (notice: Notice) => void }) {
  const now = useNow();
  const overdue = tasks.filter((t) => t.overdue).length;
  return (
    <Card title="My tasks for today" className="home-tasks" action={<Link to="/tasks">All my tasks</Link>}>
      {tasks.length === 0 ? (
        <p className="subtle">Nothing due today. <Link to="/tasks">See what is coming up</Link>.</p>
      ) : (
        <>
          {overdue > 0 && <p className="home-overdue">{plural(overdue, "task")} overdue.</p>}
          <TaskList tasks={tasks} label="Tasks due today and overdue" now={now} onNotice={onNotice} />
        </>
      )}
    </Card>
  );
}

/** Monday of this week, as the contacts list's "created" filter reads it. */
function thisMonday(): string {
  const today = startOfDay(Date.now());
  const monday = startOfDay(today, -((today.getDay() + 6) % 7));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${monday.getFullYear()}-${pad(monday.getMonth() + 1)}-${pad(monday.getDate())}`;
}

function Counts({ counts }: { counts: Home["counts"] }) {
  const figures: { label: string; count: number; to: string }[] = [
    {
      label: "New leads this week",
      count: counts.newLeadsThisWeek,
      to: `/contacts?type=LEAD&created=${thisMonday()}..`,
    },
    { label: "Invitations waiting", count: counts.invitationsWaiting, to: "/contacts?portal=INVITED" },
    { label: "Campaigns sending", count: counts.campaignsSending, to: "/campaigns" },
  ];
  return (
    <Card title="At a glance" className="home-counts">
      <ul className="home-figures">
        {figures.map((f) => (
          <li key={f.label}>
            <Link to={f.to}>
              <span className="home-figure">{countText(f.count)}</span>
              <span>{f.label}</span>
            </Link>
          </li>
        ))}
      </ul>
      <h3 className="home-subhead">
        Contacts by status <span className="subtle">({countText(counts.contacts)} in all)</span>
      </h3>
      <ul className="home-statuses">
        {counts.byStatus.map(({ status, count }) => (
          <li key={status}>
            <Link to={`/contacts?status=${status}`}>
              <span>{CONTACT_STATUSES[status]}</span>
              <span className="home-status-count">{countText(count)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {counts.archived > 0 && (
        <p className="subtle">
          <Link to="/contacts?show=archived">{countText(counts.archived)} archived</Link>
        </p>
      )}
    </Card>
  );
}

/** A contact, and when it changed (in the recently changed). */
type HomeContact = Home["recentlyViewed"][number] & { updatedAt?: string };

function ContactLinks({ title, contacts, empty }: { title: string; contacts: readonly HomeContact[]; empty: string }) {
  return (
    <Card title={title}>
      {contacts.length === 0 ? (
        <p className="subtle">{empty}</p>
      ) : (
        <ul className="plain-list home-links">
          {contacts.map((c) => (
            <li key={c.id}>
              <Link to={contactPath(c.id)}>{c.fullName}</Link>
              <span className="subtle">
                {[
                  CONTACT_TYPES[c.type],
                  CONTACT_STATUSES[c.status],
                  c.updatedAt && `changed ${formatDateTime(c.updatedAt)}`,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

const IMPORT_STATES: Record<ImportJobState, string> = {
  UPLOADED: "Uploaded, not started",
  PREVIEWING: "Checking the rows",
  PREVIEWED: "Checked, not started",
  QUEUED: "Waiting to run",
  RUNNING: "Running",
  DONE: "Done",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

function importOutcome(job: Home["lastImports"][number]): string {
  if (job.state !== "DONE") return IMPORT_STATES[job.state];
  const parts = [`${job.createdCount} added`, `${job.updatedCount} updated`];
  if (job.failedCount) parts.push(`${job.failedCount} failed`);
  return `Done: ${parts.join(", ")}`;
}

function LastImports({ imports }: { imports: Home["lastImports"] }) {
  return (
    <Card title="Last imports" action={<Link to="/contacts/import">Import contacts</Link>}>
      {imports.length === 0 ? (
        <p className="subtle">No imports yet.</p>
      ) : (
        <ul className="plain-list home-links">
          {imports.map((job) => {
            const wizard = job.target === "COMPANIES" ? "/companies/import" : "/contacts/import";
            return (
              <li key={job.id}>
                <Link to={`${wizard}?job=${encodeURIComponent(job.id)}`}>{job.fileName}</Link>
                <span className="subtle">
                  {job.target === "COMPANIES" ? "Companies" : "Contacts"} · {formatDateTime(job.createdAt)} ·{" "}
                  {importOutcome(job)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
