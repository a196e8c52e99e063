import type { ReactNode } from "react";
import { useQuery, type AnyVariables, type TypedDocumentNode, type UseQueryResponse } from "urql";
import { ALL_CONTEXT } from "../lib/client";
import { Loading } from "./Loading";
import { ErrorState, Gone } from "./ui";

/**
 * A page's query: what the cache holds shows at once while the server is asked again, and
 * any change to what a page can show (`context`, by default every CRM type) asks again.
 */
export function usePageQuery<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  context: { additionalTypenames: string[] } = ALL_CONTEXT,
): UseQueryResponse<Data, Variables> {
  return useQuery<Data, Variables>({ query, variables, requestPolicy: "cache-and-network", context });
}

/**
 * The loading / error / empty chain of a page's query: the error and "Try again" when
 * nothing could be read, a spinner until the first answer, `empty` when `select` finds
 * nothing, else `children` with what it found and whether a newer answer is on its way.
 */
type QueryStateProps<Data, Variables extends AnyVariables, Value> = {
  query: UseQueryResponse<Data, Variables>;
  loading: string;
  select: (data: Data) => Value | null | undefined;
  empty?: ReactNode;
  children: (value: Value, stale: boolean) => ReactNode;
};

export function QueryState<Data, Variables extends AnyVariables, Value>({
  query: [{ data, fetching, error, stale }, refetch],
  loading,
  select,
  empty = null,
  children,
}: QueryStateProps<Data, Variables, Value>) {
  if (error && !data) {
    return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  }
  if (!data) return fetching ? <Loading label={loading} /> : empty;
  const value = select(data);
  return value == null ? empty : children(value, stale);
}

/**
 * QueryState for one record read by its id: "Loading contact…", and when there is none,
 * "Contact not found" with a way back to its list (`list`, e.g. "/contacts").
 */
export function RecordState<Data, Variables extends AnyVariables, Value>({
  what,
  list,
  ...props
}: Omit<QueryStateProps<Data, Variables, Value>, "loading" | "empty"> & { what: string; list: string }) {
  return (
    <QueryState
      {...props}
      loading={`Loading ${what}…`}
      empty={
        <Gone
          title={`${what[0].toUpperCase()}${what.slice(1)} not found`}
          back={{ to: list, label: `Back to ${list.slice(1)}` }}
        >
          This {what} does not exist or was deleted.
        </Gone>
      }
    />
  );
}
