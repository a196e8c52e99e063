import { Link, useSearchParams } from "react-router";
import { ColumnChooser, useListColumns } from "../components/ColumnChooser";
import { usePageQuery } from "../components/QueryState";
import { ListPage, ListSearch, SortSelect } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import type { CompanyFilter, CompanyOrderField, SortDirection } from "../gql/schema";
import { companyPath } from "../lib/format";
import { SORTS, updateParams } from "../lib/listParams";
import { ExportMenu, type ExportFormat, type ExportFormatOption } from "../contacts/ExportMenu";
import { ProductFilter } from "../products/ProductFilter";
import { OwnerFilter, ownerFilter } from "../staff/OwnerFilter";
import { COMPANY_COLUMNS, COMPANY_COLUMN_LABELS, DEFAULT_COMPANY_COLUMNS, KNOWN_COMPANY_COLUMNS } from "./columns";
import { CompaniesDocument } from "./companies.generated";

const PAGE_SIZE = 25;

const FIELDS: CompanyOrderField[] = ["NAME", "CREATED_AT", "UPDATED_AT"];

const EXPORT_FORMATS: ExportFormatOption[] = [
  { value: "csv", label: "CSV", hint: "UTF-8, for other tools" },
  { value: "excel-csv", label: "CSV for Excel", hint: "opens with accents intact" },
  { value: "xlsx", label: "Excel (.xlsx)", hint: "a spreadsheet" },
];

/** The download address of the companies export of the list as it is filtered and sorted. */
function companiesExportUrl(
  format: ExportFormat,
  view: { filter: CompanyFilter; search: string; field: CompanyOrderField; direction: SortDirection },
): string {
  const params = new URLSearchParams();
  params.set("filter", JSON.stringify(view.filter));
  if (view.search) params.set("search", view.search);
  params.set("orderBy", view.field);
  params.set("direction", view.direction);
  if (format === "excel-csv") params.set("bom", "1");
  return `/export/companies.${format === "excel-csv" ? "csv" : format}?${params.toString()}`;
}

export function CompaniesList() {
  const [params, setParams] = useSearchParams();
  const sortParam = params.get("sort") as CompanyOrderField | null;
  const field: CompanyOrderField = sortParam && FIELDS.includes(sortParam) ? sortParam : "NAME";
  const direction: SortDirection = params.get("dir") === "DESC" ? "DESC" : "ASC";
  const search = params.get("q") ?? "";
  const productId = params.get("product");
  const owner = params.get("owner");
  const filter: CompanyFilter = { ...(productId ? { productId } : {}), ...ownerFilter(owner) };
  const query = usePageQuery(CompaniesDocument, {
    filter: Object.keys(filter).length ? filter : null,
    search: search || null,
    orderBy: { field, direction },
    ...pageArgs(params, PAGE_SIZE),
  });
  const sortBy = (f: string, d: string) =>
    updateParams(params, setParams, { sort: f === "NAME" ? null : f, dir: d === "DESC" ? "DESC" : null });
  const byName = field === "NAME" ? (direction === "ASC" ? "ascending" : "descending") : undefined;
  const columns = useListColumns("COMPANIES", KNOWN_COMPANY_COLUMNS, DEFAULT_COMPANY_COLUMNS);

  return (
    <ListPage
      title="Companies"
      noun={["company", "companies"]}
      filtered={Boolean(search || productId || owner)}
      actions={
        <>
          <ExportMenu
            selectedIds={[]}
            label="Companies to export"
            formats={EXPORT_FORMATS}
            hrefFor={(format) => companiesExportUrl(format, { filter, search, field, direction })}
          />
          <Link className="button" to="/companies/import">
            Import
          </Link>
          <Link className="button button-primary" to="/companies/new">
            Add company
          </Link>
        </>
      }
      toolbar={
        <ListSearch label="Search companies" placeholder="Search companies…">
          <ProductFilter />
          <OwnerFilter />
          <SortSelect sorts={SORTS} value={`${field}.${direction}`} onChange={sortBy} />
          <ColumnChooser
            noun="companies"
            labels={COMPANY_COLUMN_LABELS}
            defaults={DEFAULT_COMPANY_COLUMNS}
            value={columns}
          />
        </ListSearch>
      }
      query={query}
      connection={(data) => data.companies}
      empty={
        search || productId || owner ? (
          <p>No companies match this search.</p>
        ) : (
          <p>
            No companies yet. <Link to="/companies/new">Add the first company</Link>.
          </p>
        )
      }
      head={
        <>
          <th scope="col" aria-sort={byName}>
            <button
              type="button"
              className="sort-button"
              onClick={() => sortBy("NAME", byName === "ascending" ? "DESC" : "ASC")}
            >
              Name{byName ? (byName === "ascending" ? " ▲" : " ▼") : ""}
            </button>
          </th>
          {columns.columns.map((column) => (
            <th key={column} scope="col">
              {COMPANY_COLUMNS[column].label}
            </th>
          ))}
        </>
      }
      cells={(c) => (
        <>
          <th scope="row" className="col-name">
            <Link to={companyPath(c.id)}>{c.name}</Link>
          </th>
          {columns.columns.map((column) => {
            const spec = COMPANY_COLUMNS[column];
            return (
              <td key={column} className={spec.className} data-label={spec.label}>
                {spec.cell(c)}
              </td>
            );
          })}
        </>
      )}
    />
  );
}
