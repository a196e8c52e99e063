import { useQuery } from "urql";
import { FilterChips } from "../contacts/FilterChips";
import { filterChips, fromSavedFilter } from "../contacts/filters";
import { ProductNameDocument } from "../products/products.generated";
import { ownerName } from "../staff/OwnerSelect";
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
  // A saved filter names its product by id only.
  const [{ data: product }] = useQuery({
    query: ProductNameDocument,
    variables: { id: filter.productId ?? "" },
    pause: !filter.productId,
  });
  const chips = filterChips(fromSavedFilter(filter), {
    company: filter.company?.name ?? null,
    group: filter.group?.name ?? null,
    product: product && (product.product?.name ?? null),
    owner: filter.owner ? ownerName(filter.owner) : null,
  });
  if (search) {
    chips.unshift({ key: "search", kind: "show", name: "Search", value: `“${search}”`, without: (f) => f });
  }
  if (chips.length === 0) return <span className="subtle">All active contacts</span>;
  return <FilterChips chips={chips} label={label} />;
}
