import { useId } from "react";
import { useSearchParams } from "react-router";
import { useQuery } from "urql";
import { updateParams } from "../lib/listParams";
import { ProductFilterOptionsDocument } from "./products.generated";
import "./products.css";

const productsContext = { additionalTypenames: ["Product"] };

/** A list's filter by the product used, kept in the address as `product`. */
export function ProductFilter() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const value = params.get("product") ?? "";
  const [{ data }] = useQuery({
    query: ProductFilterOptionsDocument,
    requestPolicy: "cache-and-network",
    context: productsContext,
  });
  const options = data?.products.edges.map((e) => e.node) ?? [];
  return (
    <div className="inline-field product-filter">
      <label htmlFor={id}>Product</label>
      <select
        id={id}
        value={value}
        onChange={(e) => updateParams(params, setParams, { product: e.target.value || null })}
      >
        <option value="">Any product</option>
        {value && !options.some((o) => o.id === value) && <option value={value}>{data ? "Deleted product" : "…"}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.archived ? `${o.name} (archived)` : o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
