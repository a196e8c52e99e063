import { useEffect, useRef } from "react";
import { useQuery } from "urql";
import { BulkOperationDocument, type BulkOperationFieldsFragment } from "./bulk.generated";

const POLL_MS = 1000;

export function isRunning(operation: { state: string }): boolean {
  return operation.state === "QUEUED" || operation.state === "RUNNING";
}

/**
 * A bulk operation as it runs in the background, asked for again every second until it is
 * done, failed or cancelled; `onFinished` is called once, with its outcome.
 */
export function useBulkOperation(
  started: BulkOperationFieldsFragment | null,
  onFinished: (operation: BulkOperationFieldsFragment) => void,
): BulkOperationFieldsFragment | null {
  const [{ data }, refresh] = useQuery({
    query: BulkOperationDocument,
    variables: { id: started?.id ?? "" },
    pause: !started,
    requestPolicy: "network-only",
  });
  const latest = data?.bulkOperation?.id === started?.id ? data?.bulkOperation : null;
  const operation = latest ?? started;
  const running = operation ? isRunning(operation) : false;

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => refresh({ requestPolicy: "network-only" }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, refresh]);

  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!operation || running || reported.current === operation.id) return;
    reported.current = operation.id;
    onFinished(operation);
  }, [operation, running, onFinished]);

  return operation;
}
