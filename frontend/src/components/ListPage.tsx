import { useId, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import type { AnyVariables, UseQueryResponse } from "urql";
import { plural } from "../lib/format";
import { updateParams } from "../lib/listParams";
import { Pager, type PageInfo } from "./Pager";
import { QueryState } from "./QueryState";
import { SearchBox } from "./SearchBox";
import { Empty, NoticeBar, PageHeader, usePassedNotice, useTitle } from "./ui";

export type Connection<Node> = {
  totalCount: number;
  pageInfo: PageInfo;
  edges: readonly { node: Node }[];
};

/**
 * A page that lists one kind of thing: its title and count, a notice passed on by the page
 * before (`location.state.notice`), a toolbar, the table (one row per node, cells from
 * `cells`), the loading / error / empty states and the pager.
 */
export function ListPage<Data, Variables extends AnyVariables, Node extends { id: string }>({
  title,
  noun,
  filtered,
  actions,
  before,
  toolbar,
  query,
  connection,
  empty,
  caption = title,
  head,
  cells,
}: {
  title: string;
  /** What the count counts: one and many. */
  noun: [string, string];
  /** A search or a filter narrows the list: the count says how many match. */
  filtered: boolean;
  actions?: ReactNode;
  /** Above the toolbar, under the notice. */
  before?: ReactNode;
  toolbar: ReactNode;
  query: UseQueryResponse<Data, Variables>;
  connection: (data: Data) => Connection<Node>;
  /** What an empty list says. */
  empty: ReactNode;
  caption?: string;
  /** The header cells. */
  head: ReactNode;
  cells: (node: Node) => ReactNode;
}) {
  useTitle(title);
  const [notice] = usePassedNotice();
  const [{ data }] = query;
  const list = data && connection(data);
  return (
    <>
      <PageHeader title={title} actions={actions}>
        {list && (
          <p className="subtle" aria-live="polite">
            {plural(list.totalCount, ...noun)}
            {filtered ? (list.totalCount === 1 ? " matches" : " match") : ""}
          </p>
        )}
      </PageHeader>
      <NoticeBar notice={notice} />
      {before}
      {toolbar}
      <QueryState
        query={query}
        loading={`Loading ${noun[1]}…`}
        select={(d) => {
          const found = connection(d);
          return found.edges.length ? found : null;
        }}
        empty={<Empty>{empty}</Empty>}
      >
        {(found, stale) => (
          <>
            <div className={`table-wrap${stale ? " is-stale" : ""}`}>
              <table className="table cards">
                <caption className="visually-hidden">{caption}</caption>
                <thead>
                  <tr>{head}</tr>
                </thead>
                <tbody>
                  {found.edges.map(({ node }) => (
                    <tr key={node.id}>{cells(node)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pageInfo={found.pageInfo} label={`${title} pages`} />
          </>
        )}
      </QueryState>
    </>
  );
}

/** A list's search box, kept in the address as `q`; a new search starts at the first page. */
export function ListSearch({
  label,
  placeholder,
  children,
}: {
  label: string;
  placeholder: string;
  /** More of the toolbar, after the search box. */
  children?: ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  return (
    <div className="toolbar" role="search">
      <SearchBox
        label={label}
        placeholder={placeholder}
        value={params.get("q") ?? ""}
        onSearch={(q) => updateParams(params, setParams, { q }, true)}
      />
      {children}
    </div>
  );
}

/** A select that filters a list by one value kept in the address under `param`. */
export function ParamSelect({
  param,
  label,
  anyLabel,
  options,
}: {
  param: string;
  label: string;
  anyLabel: string;
  /** The values and their labels. */
  options: Record<string, string>;
}) {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const value = params.get(param);
  return (
    <div className="inline-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value && value in options ? value : ""}
        onChange={(e) => updateParams(params, setParams, { [param]: e.target.value || null })}
      >
        <option value="">{anyLabel}</option>
        {Object.entries(options).map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list's sort order: options valued `FIELD.DIRECTION`, as the URL keeps them. */
export function SortSelect({
  sorts,
  value,
  onChange,
}: {
  sorts: { value: string; label: string }[];
  value: string;
  onChange: (field: string, direction: string) => void;
}) {
  return (
    <label className="inline-field">
      <span>Sort</span>
      <select
        value={value}
        onChange={(e) => {
          const [field, direction] = e.target.value.split(".");
          onChange(field, direction);
        }}
      >
        {sorts.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
    </label>
  );
}
