import { useId, useState, type KeyboardEvent } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { useHighlight } from "../components/useHighlight";
import { productPath } from "../lib/format";
import { useSettled } from "../lib/useSettled";
import { ProductOptionsDocument } from "./products.generated";
import "./products.css";

const productsContext = { additionalTypenames: ["Product"] };

export type ProductRef = { id: string; name: string; archived: boolean };

/**
 * The products a contact or company uses: chips for those chosen, and a combobox that
 * searches the catalogue as one types. Archived products are not offered, but one already
 * chosen stays (marked archived) until removed.
 */
export function ProductPicker({
  value,
  onChange,
  error,
  label = "Products and services",
}: {
  value: readonly ProductRef[];
  onChange: (products: ProductRef[]) => void;
  error?: string;
  label?: string;
}) {
  const uid = useId();
  const inputId = `${uid}-input`;
  const listId = `${uid}-list`;
  const optionId = (index: number) => `${uid}-option-${index}`;
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const search = useSettled(text);
  const [{ data, fetching, operation }] = useQuery({
    query: ProductOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    pause: !open,
    context: productsContext,
  });
  const chosen = new Set(value.map((p) => p.id));
  // Results are offered only for the text in the box: Enter typed quickly after a letter
  // must not pick a product found for the text before it.
  const answered = text.trim() === search && data !== undefined && operation?.variables.search === (search || null);
  const found = answered ? data.products.edges.map((e) => e.node) : [];
  const options = found.filter((p) => !p.archived && !chosen.has(p.id));
  const { highlighted, highlightedId, setHighlighted, step, hover } = useHighlight(options.length, optionId, open);

  function choose(product: ProductRef) {
    onChange([...value, { id: product.id, name: product.name, archived: product.archived }]);
    setText("");
    setHighlighted(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      step(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && open) {
      // Enter picks the highlighted product rather than submitting the form.
      event.preventDefault();
      if (options[highlighted]) choose(options[highlighted]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    } else if (event.key === "Backspace" && text === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  const describedBy = [`${uid}-hint`, error ? `${uid}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field product-picker">
      <label htmlFor={inputId}>{label}</label>
      {value.length > 0 && (
        <ul className="chips" aria-label={`Chosen ${label.toLowerCase()}`}>
          {value.map((product) => (
            <li key={product.id} className={`chip${product.archived ? " chip-archived" : ""}`}>
              <span className="chip-text">
                {product.name}
                {product.archived && <span className="subtle"> (archived)</span>}
              </span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${product.name}`}
                onClick={() => onChange(value.filter((p) => p.id !== product.id))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="combobox">
        <input
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          placeholder="Type to find a product…"
          value={text}
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={highlightedId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            setText(e.target.value);
            setHighlighted(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {open && (
          <ul className="combobox-list" id={listId} role="listbox" aria-label={label}>
            {options.map((product, index) => (
              <li
                key={product.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === highlighted}
                className="combobox-option"
                // Keeps the focus in the input, which a click would take away.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(product)}
                {...hover(index)}
              >
                {product.name}
                {product.code && <span className="subtle"> · {product.code}</span>}
              </li>
            ))}
            {options.length === 0 && (
              <li className="combobox-empty" role="presentation">
                {!answered || (fetching && found.length === 0)
                  ? "Searching…"
                  : search
                    ? "No active product matches."
                    : "No more products to add."}
              </li>
            )}
          </ul>
        )}
      </div>
      <p className="hint" id={`${uid}-hint`}>
        Archived products are not offered. The catalogue is on the <Link to="/products">Products</Link> page.
      </p>
      {error && (
        <p className="field-error" id={`${uid}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The products a contact or company uses, as chips that open each product's page. */
export function ProductChips({ products, label }: { products: readonly ProductRef[]; label: string }) {
  if (products.length === 0) return <p className="subtle">None.</p>;
  return (
    <ul className="chips" aria-label={label}>
      {products.map((product) => (
        <li key={product.id} className={`chip${product.archived ? " chip-archived" : ""}`}>
          <Link className="chip-edit" to={productPath(product.id)}>
            {product.name}
            {product.archived && <span className="subtle">(archived)</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
