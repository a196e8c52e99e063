import { lazy, Suspense, useId } from "react";
import { Loading } from "../components/Loading";
import type { TimelineProps } from "./Timeline";

// The timeline's code (composer, icons, paging) loads after the page it sits on.
const Timeline = lazy(() => import("./Timeline"));

/** The "Timeline" region of a contact's or a company's page. */
export function TimelineSection(props: TimelineProps) {
  const heading = useId();
  return (
    <section className="card wide-region timeline-region" aria-labelledby={heading}>
      <h2 id={heading}>Timeline</h2>
      <Suspense fallback={<Loading label="Loading the timeline…" />}>
        <Timeline {...props} />
      </Suspense>
    </section>
  );
}
