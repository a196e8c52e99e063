import { lazy, Suspense, useId } from "react";
import { Loading } from "../components/Loading";
import type { SubjectTasksProps } from "./SubjectTasks";

// Its code (the list, the task form) is a chunk of its own, loaded with the page showing it.
const subjectTasks = import("./SubjectTasks");
const SubjectTasks = lazy(() => subjectTasks);

/** The "Tasks" region of a contact's or a company's page: its open tasks and "Add task". */
export function TasksSection(props: Omit<SubjectTasksProps, "headingId">) {
  const heading = useId();
  return (
    <section className="card" aria-labelledby={heading}>
      <Suspense
        fallback={
          <>
            <h2 id={heading}>Tasks</h2>
            <Loading label="Loading tasks…" />
          </>
        }
      >
        <SubjectTasks {...props} headingId={heading} />
      </Suspense>
    </section>
  );
}
