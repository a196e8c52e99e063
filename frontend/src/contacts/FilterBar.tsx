import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { lazy, Suspense, useState, type ReactNode } from "react";
import { useQuery } from "urql";
import { useAuth } from "../lib/auth";
import { ALL_CONTEXT } from "../lib/client";
import { ownerName } from "../staff/OwnerSelect";
import { FilterNamesDocument } from "./contacts.generated";
import { FilterChips } from "./FilterChips";
import {
  FILTER_KINDS,
  FILTER_LABELS,
  NO_OWNER,
  filterChips,
  type FilterKind,
  type FilterNames,
  type Filters,
} from "./filters";

const FilterEditor = lazy(() => import("./FilterEditor"));

/**
 * The names of the company, group, product and owner a filter names (null: deleted;
 * undefined: loading); one's own id is "Me".
 */
function useFilterNames(filters: Filters): FilterNames {
  const { user } = useAuth();
  const mine = filters.owner !== null && filters.owner === user?.id;
  const ownerId = filters.owner !== NO_OWNER && !mine ? filters.owner : null;
  const [{ data }] = useQuery({
    query: FilterNamesDocument,
    variables: {
      companyId: filters.company ?? "",
      groupId: filters.group ?? "",
      productId: filters.product ?? "",
      ownerId: ownerId ?? "",
      withCompany: Boolean(filters.company),
      withGroup: Boolean(filters.group),
      withProduct: Boolean(filters.product),
      withOwner: Boolean(ownerId),
    },
    pause: !filters.company && !filters.group && !filters.product && !ownerId,
    context: ALL_CONTEXT,
  });
  const me = mine ? { owner: "Me" } : {};
  if (!data) return me;
  const name = (found: { name: string } | null | undefined) => (found === undefined ? undefined : (found?.name ?? null));
  const owner = data.owner === undefined ? undefined : data.owner?.__typename === "StaffUser" ? ownerName(data.owner) : null;
  return { company: name(data.company), group: name(data.group), product: name(data.product), owner, ...me };
}

/** Chips for the active filters, an accessible Add filter menu, and an editor per filter. */
export function FilterBar({
  filters,
  onChange,
  actions,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  actions?: ReactNode;
}) {
  const names = useFilterNames(filters);
  const chips = filterChips(filters, names);
  const [editing, setEditing] = useState<FilterKind | null>(null);
  const removable = chips.filter((c) => c.kind !== "show");

  return (
    <div className="filter-bar">
      <FilterChips
        chips={chips}
        onEdit={(chip) => setEditing(chip.kind)}
        onRemove={(chip) => onChange(chip.without(filters))}
      />
      <div className="filter-actions">
        <DropdownMenu.Root modal={false}>
          <DropdownMenu.Trigger asChild>
            <button type="button" className="button button-small">
              + Add filter <span aria-hidden="true">▾</span>
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
              {FILTER_KINDS.map((kind) => (
                <DropdownMenu.Item
                  key={kind}
                  className="menu-item"
                  onSelect={() => setEditing(kind)}
                >
                  {FILTER_LABELS[kind]}
                  {chips.some((c) => c.kind === kind) && (
                    <span className="visually-hidden"> (active)</span>
                  )}
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        {removable.length > 1 && (
          <button
            type="button"
            className="link-button"
            onClick={() =>
              onChange(removable.reduce((f, chip) => chip.without(f), filters))
            }
          >
            Clear filters
          </button>
        )}
        {actions}
      </div>
      {editing && (
        <Suspense fallback={null}>
          <FilterEditor
            kind={editing}
            filters={filters}
            onClose={() => setEditing(null)}
            onApply={(next) => {
              setEditing(null);
              onChange(next);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
