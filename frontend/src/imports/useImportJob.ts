import { useEffect, useState } from "react";
import { useMutation, useQuery, type CombinedError } from "urql";
import type { ImportField } from "../gql/schema";
import { collectErrors, type FieldErrors } from "../lib/format";
import {
  CancelImportDocument,
  ImportJobDocument,
  PreviewImportDocument,
  StartImportDocument,
  type ImportJobFieldsFragment,
  type ImportJobPayloadFieldsFragment,
} from "./imports.generated";
import { ACTIVE_STATES } from "./labels";
import { optionsInput, type Options } from "./options";

export type Job = ImportJobFieldsFragment;
export type Problems = { fields: FieldErrors; general: string[] };
export const NO_PROBLEMS: Problems = { fields: {}, general: [] };

const context = { additionalTypenames: ["ImportJob"] };

/** The field each of the file's columns goes into, in the file's order; null: not imported. */
export type Mapping = (ImportField | null)[];

/** A job's mapping and options as previewImport and startImport take them. */
function jobInput(job: Job, mapping: Mapping, options: Options) {
  const columns = job.columns.map((c, i) => ({ index: c.index, field: mapping[i] ?? null }));
  return { input: { jobId: job.id, columns, options: optionsInput(options) } };
}

/**
 * The import job named in the address (`?job=`), followed while the server works on it,
 * and the mutations that move it on. Each mutation resolves to its problems, or to null
 * when it worked; the job it answers with shows until the query has caught up.
 */
export function useImportJob(jobId: string | null) {
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: ImportJobDocument,
    variables: { id: jobId ?? "" },
    pause: !jobId,
    requestPolicy: "network-only",
    context,
  });
  // A mutation's answer is newer than the query's data until the query answers again.
  const [override, setOverride] = useState<{ job: Job; over: unknown } | null>(null);
  const job =
    override && override.over === data && override.job.id === jobId
      ? override.job
      : jobId && data?.importJob?.id === jobId
        ? data.importJob
        : null;
  const reload = () => refetch({ requestPolicy: "network-only" });

  // Poll while the server is checking or importing.
  const active = Boolean(job && ACTIVE_STATES.includes(job.state));
  useEffect(() => {
    if (!active || fetching) return;
    const timer = window.setTimeout(() => refetch({ requestPolicy: "network-only" }), 500);
    return () => window.clearTimeout(timer);
  }, [active, fetching, refetch, data]);

  const [{ fetching: previewing }, preview] = useMutation(PreviewImportDocument);
  const [{ fetching: starting }, start] = useMutation(StartImportDocument);
  const [{ fetching: cancelling }, cancel] = useMutation(CancelImportDocument);

  function settle(
    result: { error?: CombinedError },
    payload: ImportJobPayloadFieldsFragment | undefined,
    fallback: string,
  ): Problems | null {
    if (payload?.job) setOverride({ job: payload.job, over: data });
    reload();
    if (!payload) return { fields: {}, general: [result.error?.message ?? fallback] };
    return payload.errors.length ? collectErrors(payload.errors) : null;
  }

  return {
    job,
    query: { data, error, stale },
    /** The address names a job the server does not have (any more). */
    missing: Boolean(data && !data.importJob),
    reload,
    previewing,
    starting,
    cancelling,
    /** Checks every row with this mapping and these options. */
    async preview(job: Job, mapping: Mapping, options: Options) {
      const result = await preview(jobInput(job, mapping, options), context);
      return settle(result, result.data?.previewImport, "Could not check the file.");
    },
    /** Starts importing the rows. */
    async start(job: Job, mapping: Mapping, options: Options) {
      const result = await start(jobInput(job, mapping, options), context);
      return settle(result, result.data?.startImport, "Could not start the import.");
    },
    async cancel(job: Job) {
      const result = await cancel({ input: { jobId: job.id } }, context);
      return settle(result, result.data?.cancelImport, "Could not cancel.");
    },
  };
}
