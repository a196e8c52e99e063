import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Badge, NoticeBar, PageHeader, noticeOf, usePassedNotice, useTitle } from "../components/ui";
import { Avatar } from "../avatars/Avatar";
import { ALL_CONTEXT } from "../lib/client";
import { companyPath, contactPath, formatDate, plural } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { ProductFormDialog } from "./ProductDialogs";
import {
  DeleteProductDocument,
  ProductDetailDocument,
  UpdateProductDocument,
  type ProductDetailQuery,
} from "./products.generated";
import "./products.css";

type Detail = ProductDetailQuery & { product: NonNullable<ProductDetailQuery["product"]> };

export function ProductPage() {
  const { id = "" } = useParams();
  const query = usePageQuery(ProductDetailDocument, { id });
  useTitle(query[0].data?.product?.name ?? "Product");
  return (
    <RecordState
      query={query}
      what="product"
      list="/products"
      select={(d) => (d.product ? ({ ...d, product: d.product } as Detail) : null)}
    >
      {(detail) => <ProductView key={detail.product.id} detail={detail} />}
    </RecordState>
  );
}

/** Who uses the product, for the delete dialog: "1 contact uses", "2 contacts and 1 company use". */
function usersUse(contactCount: number, companyCount: number): string | null {
  if (!contactCount && !companyCount) return null;
  const who = [
    contactCount ? plural(contactCount, "contact") : "",
    companyCount ? plural(companyCount, "company", "companies") : "",
  ];
  return `${who.filter(Boolean).join(" and ")} ${contactCount + companyCount === 1 ? "uses" : "use"}`;
}

function ProductView({ detail }: { detail: Detail }) {
  const { product, contacts, companies } = detail;
  const navigate = useNavigate();
  const [notice, setNotice] = usePassedNotice();
  const [editOpen, setEditOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [, update] = useMutation(UpdateProductDocument);
  const [, remove] = useMutation(DeleteProductDocument);
  const usedBy = usersUse(product.contactCount, product.companyCount);
  const productParam = `product=${encodeURIComponent(product.id)}`;

  async function setArchived(archived: boolean) {
    const result = await update({ input: { id: product.id, archived } }, ALL_CONTEXT);
    const problem = mutationProblem(result, result.data?.updateProduct, "Could not save the product.");
    const done = archived
      ? `Archived ${product.name}: it stays on those who use it, and is no longer offered for new links.`
      : `${product.name} is active again.`;
    setNotice(noticeOf(problem, done));
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/products">← Products</Link>
      </p>
      <PageHeader
        title={
          <>
            {product.name}
            {product.archived && <Badge tone="muted">Archived</Badge>}
          </>
        }
        actions={
          <ActionsMenu
            actions={[
              { label: "Edit product…", onSelect: () => setEditOpen(true) },
              product.archived
                ? { label: "Unarchive", onSelect: () => void setArchived(false) }
                : { label: "Archive", onSelect: () => void setArchived(true) },
              { label: "Delete product…", danger: true, separatorBefore: true, onSelect: () => setDeleteOpen(true) },
            ]}
          />
        }
      >
        <p className="subtle">
          {[product.code && `Code ${product.code}`, `Added ${formatDate(product.createdAt)}`]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {product.description && <p className="product-description">{product.description}</p>}
      </PageHeader>

      <NoticeBar notice={notice} />

      <div className="detail-grid">
        <section className="card" aria-labelledby="product-contacts">
          <div className="section-head">
            <h2 id="product-contacts">
              Contacts <span className="subtle">({contacts.totalCount})</span>
            </h2>
            {contacts.totalCount > 0 && (
              <Link className="button button-small" to={`/contacts?${productParam}`}>
                Filter in contacts list
              </Link>
            )}
          </div>
          {contacts.edges.length === 0 ? (
            <p className="subtle">No active contact uses {product.name}. Choose it in a contact's form.</p>
          ) : (
            <ul className="plain-list product-users">
              {contacts.edges.map(({ node: c }) => (
                <li key={c.id}>
                  <Avatar name={c.fullName} url={c.avatarThumbnailUrl} />
                  <span className="who">
                    <Link to={contactPath(c.id)}>{c.fullName}</Link>
                    <span className="subtle">{[c.company?.name, c.email].filter(Boolean).join(" · ")}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {contacts.totalCount > contacts.edges.length && (
            <p>
              <Link to={`/contacts?${productParam}`}>See all {contacts.totalCount} contacts</Link>
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="product-companies">
          <div className="section-head">
            <h2 id="product-companies">
              Companies <span className="subtle">({companies.totalCount})</span>
            </h2>
            {companies.totalCount > 0 && (
              <Link className="button button-small" to={`/companies?${productParam}`}>
                Filter in companies list
              </Link>
            )}
          </div>
          {companies.edges.length === 0 ? (
            <p className="subtle">No company uses {product.name}. Choose it in a company's form.</p>
          ) : (
            <ul className="plain-list product-users">
              {companies.edges.map(({ node: c }) => (
                <li key={c.id}>
                  <span className="who">
                    <Link to={companyPath(c.id)}>{c.name}</Link>
                    {c.industry && <span className="subtle">{c.industry}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {companies.totalCount > companies.edges.length && (
            <p>
              <Link to={`/companies?${productParam}`}>See all {companies.totalCount} companies</Link>
            </p>
          )}
        </section>
      </div>

      <ProductFormDialog
        open={editOpen}
        onOpenChange={setEditOpen}
        product={product}
        onSaved={(saved) => setNotice({ tone: "ok", text: `Saved product ${saved.name}.` })}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete product ${product.name}?`}
        description={
          usedBy ? (
            <p>
              {usedBy} {product.name}, so it cannot be deleted. Archive it instead: it stays on them
              and is no longer offered for new links.
            </p>
          ) : (
            <p>Nobody uses {product.name}: it is removed from the catalogue.</p>
          )
        }
        confirmLabel="Delete product"
        action={async () => {
          const result = await remove({ input: { id: product.id } }, ALL_CONTEXT);
          const payload = result.data?.deleteProduct;
          if (payload?.errors.some((e) => e.code === "NOT_ALLOWED")) {
            return `${product.name} is still used by contacts or companies, so it cannot be deleted: archive it instead.`;
          }
          return mutationProblem(result, payload, "Could not delete the product.");
        }}
        onDone={() =>
          navigate("/products", { replace: true, state: { notice: `Deleted product ${product.name}.` } })
        }
      />
    </>
  );
}
