import { Link, useSearchParams } from "react-router";

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
};

/** Cursor paging whose place lives in the URL (`after` / `before`), so Back returns to it. */
export function Pager({ pageInfo, label }: { pageInfo: PageInfo; label: string }) {
  const [params] = useSearchParams();
  const hrefFor = (key: "after" | "before", cursor: string | null | undefined) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    if (cursor) next.set(key, cursor);
    return `?${next.toString()}`;
  };
  const first = new URLSearchParams(params);
  first.delete("after");
  first.delete("before");
  const onFirstPage = !params.get("after") && !params.get("before");
  return (
    <nav className="pager" aria-label={label}>
      {!onFirstPage && (
        <Link className="button" to={`?${first.toString()}`}>
          First page
        </Link>
      )}
      {pageInfo.hasPreviousPage ? (
        <Link className="button" to={hrefFor("before", pageInfo.startCursor)} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          ← Previous
        </span>
      )}
      {pageInfo.hasNextPage ? (
        <Link className="button" to={hrefFor("after", pageInfo.endCursor)} rel="next">
          Next →
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}

export function pageArgs(params: URLSearchParams, size: number) {
  const before = params.get("before");
  const after = params.get("after");
  if (before) return { last: size, before, first: null, after: null };
  return { first: size, after: after || null, last: null, before: null };
}
