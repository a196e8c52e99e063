import { FilterChips } from "../contacts/FilterChips";
import { filterChips, fromSavedFilter } from "../contacts/filters";
import type { SegmentFilterFieldsFragment } from "./segments.generated";

/** A segment's saved filter and search as read-only chips. */
export function SegmentSummary({
  filter,
  search,
  label = "Segment filters",
}: {
  filter: SegmentFilterFieldsFragment;
  search?: string | null;
  label?: string;
}) {
  const chips = filterChips(fromSavedFilter(filter), {
    company: filter.company?.name ?? null,
    group: filter.group?.name ?? null,
  });
  if (search) {
    chips.unshift({ key: "search", kind: "show", name: "Search", value: `“${search}”`, without: (f) => f });
  }
  if (chips.length === 0) return <span className="subtle">All active contacts</span>;
  return <FilterChips chips={chips} label={label} />;
}
