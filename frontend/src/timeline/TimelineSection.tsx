import { lazy, Suspense, useId } from "react";
import { Loading } from "../components/Loading";
import type { TimelineProps } from "./Timeline";

// The timeline's code (composer, icons, paging) is a chunk of its own, out of the first
// load; it starts loading with the page that shows it, beside the page's own query.
const timeline = import("./Timeline");
const Timeline = lazy(() => timeline);

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
