import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ListPage, ListSearch, ParamSelect, type Connection } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import { usePageQuery } from "../components/QueryState";
import { Badge } from "../components/ui";
import { productPath } from "../lib/format";
import { oneOf } from "../lib/listParams";
import { ProductFormDialog } from "./ProductDialogs";
import { ProductsDocument, type ProductFieldsFragment } from "./products.generated";
import "./products.css";

const PAGE_SIZE = 25;
// The API lists archived and active products together: a view of one kind reads the
// whole catalogue (at most this many) and keeps that kind.
const WHOLE_CATALOGUE = 500;

const SHOWS = { active: "Active products", archived: "Archived products" };
type Show = keyof typeof SHOWS;

/** The connection with only the products `show` keeps (all of them without `show`). */
function shown(products: Connection<ProductFieldsFragment>, show: Show | null): Connection<ProductFieldsFragment> {
  if (!show) return products;
  const edges = products.edges.filter((e) => e.node.archived === (show === "archived"));
  return { totalCount: edges.length, pageInfo: { hasNextPage: false, hasPreviousPage: false }, edges };
}

export function ProductsList() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const search = params.get("q") ?? "";
  const show = oneOf(params.get("show"), ["active", "archived"] as const);
  const paging = show ? { first: WHOLE_CATALOGUE } : pageArgs(params, PAGE_SIZE);
  const query = usePageQuery(ProductsDocument, { search: search || null, ...paging });
  const [createOpen, setCreateOpen] = useState(false);

  return (
    <>
      <ListPage
        title="Products"
        noun={["product", "products"]}
        filtered={Boolean(search || show)}
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            New product
          </button>
        }
        toolbar={
          <ListSearch label="Search products" placeholder="Search names and codes…">
            <ParamSelect param="show" label="Show" anyLabel="Active and archived" options={SHOWS} />
          </ListSearch>
        }
        query={query}
        connection={(data) => shown(data.products, show)}
        empty={
          search || show ? (
            <p>No products match this view.</p>
          ) : (
            <p>
              No products yet. List the products and services your customers use, then link them to
              contacts and companies.{" "}
              <button type="button" className="link-button" onClick={() => setCreateOpen(true)}>
                Create the first product
              </button>
              .
            </p>
          )
        }
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Code</th>
            <th scope="col">Description</th>
            <th scope="col">Contacts</th>
            <th scope="col">Companies</th>
          </>
        }
        cells={(product) => (
          <>
            <th scope="row" className="col-name">
              <Link to={productPath(product.id)}>{product.name}</Link>
              {product.archived && <Badge tone="muted">Archived</Badge>}
            </th>
            <td className="nowrap" data-label="Code">
              {product.code || <span className="subtle">—</span>}
            </td>
            <td className="col-description" data-label="Description">
              {product.description || <span className="subtle">—</span>}
            </td>
            <td data-label="Contacts">{product.contactCount}</td>
            <td data-label="Companies">{product.companyCount}</td>
          </>
        )}
      />
      <ProductFormDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        onSaved={(product) =>
          navigate(productPath(product.id), { state: { notice: `Created product ${product.name}.` } })
        }
      />
    </>
  );
}
