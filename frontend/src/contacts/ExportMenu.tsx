import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useState } from "react";
import type { ContactFilter } from "../gql/schema";
import type { Sort } from "./ContactsTable";

export type ExportFormat = "csv" | "excel-csv" | "xlsx" | "vcf";

export type ExportFormatOption = { value: ExportFormat; label: string; hint: string };

const FORMATS: ExportFormatOption[] = [
  { value: "csv", label: "CSV", hint: "UTF-8, for other tools" },
  { value: "excel-csv", label: "CSV for Excel", hint: "opens with accents intact" },
  { value: "xlsx", label: "Excel (.xlsx)", hint: "a spreadsheet" },
  { value: "vcf", label: "vCard (.vcf)", hint: "for address books" },
];

export type ExportView = {
  filter: ContactFilter;
  search: string;
  sort: Sort;
};

/** The download address of the contacts export: the whole view, or only the given contacts. */
export function exportUrl(format: ExportFormat, view: ExportView, ids?: readonly string[]): string {
  const extension = format === "excel-csv" ? "csv" : format;
  const params = new URLSearchParams();
  if (ids) {
    params.set("ids", ids.join(","));
  } else {
    params.set("filter", JSON.stringify(view.filter));
    if (view.search) params.set("search", view.search);
  }
  params.set("orderBy", view.sort.field);
  params.set("direction", view.sort.direction);
  if (format === "excel-csv") params.set("bom", "1");
  return `/export/contacts.${extension}?${params.toString()}`;
}

/**
 * "Export ▾": the list as it is filtered, searched and sorted, or only the selected rows,
 * as CSV, CSV with a byte order mark for Excel, xlsx or vCard. Each format is a plain
 * download link (the session cookie goes with it).
 */
export function ExportMenu({
  view,
  total,
  selectedIds,
  hrefFor = (format, ids) => exportUrl(format, view as ExportView, ids),
  formats = FORMATS,
  label = "Contacts to export",
}: {
  /** The contacts list view (other lists give `hrefFor` instead). */
  view?: ExportView;
  /** How many rows the whole view holds, when known. */
  total?: string;
  selectedIds: readonly string[];
  hrefFor?: (format: ExportFormat, ids?: readonly string[]) => string;
  formats?: ExportFormatOption[];
  label?: string;
}) {
  const [scope, setScope] = useState<"view" | "selected">("selected");
  const hasSelection = selectedIds.length > 0;
  const effective = hasSelection ? scope : "view";
  const ids = effective === "selected" ? selectedIds : undefined;
  const viewLabel = total === undefined ? "Whole view" : `Whole view (${total})`;

  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="button">
          Export <span aria-hidden="true">▾</span>
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu export-menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">{label}</DropdownMenu.Label>
          <DropdownMenu.RadioGroup
            value={effective}
            onValueChange={(value) => setScope(value === "selected" ? "selected" : "view")}
          >
            <DropdownMenu.RadioItem
              className="menu-item menu-radio"
              value="view"
              // Choosing the scope keeps the menu open for the format.
              onSelect={(e) => e.preventDefault()}
            >
              <span className="menu-radio-mark" aria-hidden="true">
                <DropdownMenu.ItemIndicator>●</DropdownMenu.ItemIndicator>
              </span>
              {viewLabel}
            </DropdownMenu.RadioItem>
            {hasSelection && (
              <DropdownMenu.RadioItem
                className="menu-item menu-radio"
                value="selected"
                onSelect={(e) => e.preventDefault()}
              >
                <span className="menu-radio-mark" aria-hidden="true">
                  <DropdownMenu.ItemIndicator>●</DropdownMenu.ItemIndicator>
                </span>
                Selected rows ({selectedIds.length})
              </DropdownMenu.RadioItem>
            )}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Label className="menu-label">Download as</DropdownMenu.Label>
          {formats.map((format) => (
            <DropdownMenu.Item key={format.value} className="menu-item menu-link" asChild>
              <a href={hrefFor(format.value, ids)} download>
                <span>{format.label}</span>
                <span className="menu-hint" aria-hidden="true">
                  {format.hint}
                </span>
              </a>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
