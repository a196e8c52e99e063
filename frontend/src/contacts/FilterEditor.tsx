import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useQuery } from "urql";
import { CountryCombobox } from "../components/CountryCombobox";
import { DialogActions } from "../components/DialogActions";
import { SearchBox } from "../components/SearchBox";
import { GroupOptionsDocument } from "../groups/groups.generated";
import { CONTACT_STATUSES, CONTACT_TYPES, PORTAL_STATUSES, keys } from "../lib/format";
import { useAppSettings } from "../lib/settings";
import { ProductOptionsDocument } from "../products/products.generated";
import { OwnerChoice } from "../staff/OwnerSelect";
import { CompanyOptionsDocument } from "./contacts.generated";
import {
  CHANNELS,
  FILTER_LABELS,
  NO_OWNER,
  SHOW_LABELS,
  type Channel,
  type FilterKind,
  type Filters,
  type Range,
  type Show,
} from "./filters";

const groupsContext = { additionalTypenames: ["Group"] };
const productsContext = { additionalTypenames: ["Product"] };

/** The dialog that sets one filter; loaded when a filter is first added or changed. */
export default function FilterEditor({
  kind,
  filters,
  onApply,
  onClose,
}: {
  kind: FilterKind;
  filters: Filters;
  onApply: (filters: Filters) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<Filters>(filters);
  const [error, setError] = useState<string | null>(null);
  const uid = useId();
  const settings = useAppSettings();

  function submit(event: FormEvent) {
    event.preventDefault();
    let next = draft;
    const trim = (v: string | null) => v?.trim() || null;
    if (kind === "city" || kind === "industry") next = { ...draft, [kind]: trim(draft[kind]) };
    if (kind === "created" || kind === "contacted") {
      const r = draft[kind];
      if (r.from && r.to && r.from > r.to) {
        setError("The first day must not be after the last day.");
        return;
      }
    }
    onApply(next);
  }

  const checkboxes = <K extends string>(
    field: "type" | "status" | "portal",
    labels: Record<K, string>,
  ) => {
    const current = draft[field] as string[];
    return (
      <fieldset className="filter-options">
        <legend className="visually-hidden">{FILTER_LABELS[field]}</legend>
        {keys(labels).map((value) => (
          <label className="check" key={value}>
            <input
              type="checkbox"
              checked={current.includes(value)}
              onChange={(e) => {
                const chosen = e.target.checked
                  ? [...current, value]
                  : current.filter((v) => v !== value);
                // Keep the order of the options.
                const ordered = keys(labels).filter((v) => chosen.includes(v));
                setDraft({ ...draft, [field]: ordered });
              }}
            />
            {labels[value]}
          </label>
        ))}
      </fieldset>
    );
  };

  const textField = (field: "city" | "industry", label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${uid}-${field}`}>{label}</label>
      <input
        id={`${uid}-${field}`}
        type="text"
        autoFocus
        autoComplete="off"
        maxLength={200}
        value={draft[field] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${uid}-hint` : "", error ? `${uid}-error` : ""].join(" ").trim() || undefined}
        onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
      />
      {hint && (
        <p className="hint" id={`${uid}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );

  const rangeFields = (field: "created" | "contacted") => {
    const r: Range = draft[field];
    const set = (changes: Partial<Range>) => setDraft({ ...draft, [field]: { ...r, ...changes } });
    return (
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${uid}-from`}>From</label>
          <input
            id={`${uid}-from`}
            type="date"
            value={r.from ?? ""}
            onChange={(e) => set({ from: e.target.value || null })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-to`}>To</label>
          <input
            id={`${uid}-to`}
            type="date"
            value={r.to ?? ""}
            onChange={(e) => set({ to: e.target.value || null })}
          />
        </div>
        <p className="hint span-2">Both days are included. Leave one empty for an open range.</p>
      </div>
    );
  };

  let body: ReactNode;
  switch (kind) {
    case "type":
      body = checkboxes("type", CONTACT_TYPES);
      break;
    case "status":
      body = checkboxes("status", CONTACT_STATUSES);
      break;
    case "owner":
      body = <OwnerChoice value={draft.owner} onChange={(owner) => setDraft({ ...draft, owner })} noOwner={NO_OWNER} />;
      break;
    case "portal":
      body = checkboxes("portal", PORTAL_STATUSES);
      break;
    case "company":
      body = (
        <CompanyChoice value={draft.company} onChange={(company) => setDraft({ ...draft, company })} />
      );
      break;
    case "group":
      body = <GroupChoice value={draft.group} onChange={(group) => setDraft({ ...draft, group })} />;
      break;
    case "product":
      body = <ProductChoice value={draft.product} onChange={(product) => setDraft({ ...draft, product })} />;
      break;
    case "country":
      body = (
        <div className="field">
          <label htmlFor={`${uid}-country`}>Country</label>
          <CountryCombobox
            id={`${uid}-country`}
            value={draft.country ?? ""}
            onChange={(country) => setDraft({ ...draft, country: country || null })}
            autoFocus
          />
        </div>
      );
      break;
    case "city":
      body = textField("city", "City");
      break;
    case "industry":
      body = textField("industry", "Industry", "Of the contact's company.");
      break;
    case "email":
      body = (
        <fieldset className="filter-options">
          <legend className="visually-hidden">Has email</legend>
          {(
            [
              [null, "Any"],
              [true, "Has an email address"],
              [false, "Has no email address"],
            ] as const
          ).map(([value, label]) => (
            <label className="check" key={label}>
              <input
                type="radio"
                name={`${uid}-email`}
                checked={draft.email === value}
                onChange={() => setDraft({ ...draft, email: value })}
              />
              {label}
            </label>
          ))}
        </fieldset>
      );
      break;
    case "consent":
      body = (
        <div className="filter-options">
          {(keys(CHANNELS) as Channel[])
            .filter((c) => c !== "sms" || settings?.smsEnabled || draft.consent.sms !== undefined)
            .map((channel) => {
              const value = draft.consent[channel];
              return (
                <div className="field field-inline" key={channel}>
                  <label htmlFor={`${uid}-${channel}`}>{CHANNELS[channel]} consent</label>
                  <select
                    id={`${uid}-${channel}`}
                    value={value === undefined ? "" : value ? "yes" : "no"}
                    onChange={(e) => {
                      const consent = { ...draft.consent };
                      if (e.target.value === "") delete consent[channel];
                      else consent[channel] = e.target.value === "yes";
                      setDraft({ ...draft, consent });
                    }}
                  >
                    <option value="">Any</option>
                    <option value="yes">Given</option>
                    <option value="no">Not given</option>
                  </select>
                </div>
              );
            })}
        </div>
      );
      break;
    case "created":
    case "contacted":
      body = rangeFields(kind);
      break;
    case "show":
      body = (
        <fieldset className="filter-options">
          <legend className="visually-hidden">Archived</legend>
          {(keys(SHOW_LABELS) as Show[]).map((value) => (
            <label className="check" key={value}>
              <input
                type="radio"
                name={`${uid}-show`}
                checked={draft.show === value}
                onChange={() => setDraft({ ...draft, show: value })}
              />
              {SHOW_LABELS[value]}
            </label>
          ))}
        </fieldset>
      );
      break;
  }

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <Dialog.Title className="dialog-title">Filter by {FILTER_LABELS[kind].toLowerCase()}</Dialog.Title>
          <form onSubmit={submit} noValidate>
            {body}
            {error && (
              <p className="field-error" id={`${uid}-error`} role="alert">
                {error}
              </p>
            )}
            <DialogActions>
              <button type="submit" className="button button-primary">
                Apply filter
              </button>
            </DialogActions>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * A filter's choice of one company, group or product: a search box (always for companies
 * and products, for groups when there are many), the select, and a hint about what it shows.
 */
function Choice({
  label,
  value,
  onChange,
  options,
  loading,
  search,
  hint,
}: {
  label: "company" | "group" | "product";
  value: string | null;
  onChange: (id: string | null) => void;
  options: { id: string; name: string }[];
  loading: boolean;
  search: { shown: boolean; value: string; set: (value: string) => void };
  hint?: string | false;
}) {
  const id = useId();
  return (
    <>
      {search.shown && (
        <SearchBox
          label={`Find a ${label}`}
          placeholder={`Find a ${label}…`}
          value={search.value}
          onSearch={search.set}
        />
      )}
      <div className="field">
        <label htmlFor={id}>{label[0].toUpperCase() + label.slice(1)}</label>
        <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{loading ? "Loading…" : `Any ${label}`}</option>
          {value && !options.some((o) => o.id === value) && (
            <option value={value}>The {label} chosen before</option>
          )}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {hint && <p className="hint">{hint}</p>}
      </div>
    </>
  );
}

function CompanyChoice({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [search, setSearch] = useState("");
  const [{ data, fetching }] = useQuery({
    query: CompanyOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
  });
  const options = data?.companies.edges.map((e) => e.node) ?? [];
  const more = (data?.companies.totalCount ?? 0) > options.length;
  return (
    <Choice
      label="company"
      value={value}
      onChange={onChange}
      options={options}
      loading={fetching && !data}
      search={{ shown: true, value: search, set: setSearch }}
      hint={more && `Showing the first ${options.length}; search to find others.`}
    />
  );
}

function GroupChoice({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [search, setSearch] = useState("");
  const [{ data, fetching }] = useQuery({
    query: GroupOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: groupsContext,
  });
  const options = data?.groups.edges.map((e) => e.node) ?? [];
  const many = (data?.groups.totalCount ?? 0) > options.length || search !== "";
  return (
    <Choice
      label="group"
      value={value}
      onChange={onChange}
      options={options}
      loading={fetching && !data}
      search={{ shown: many, value: search, set: setSearch }}
      hint={Boolean(data) && options.length === 0 && !search && "There are no groups yet."}
    />
  );
}

function ProductChoice({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [search, setSearch] = useState("");
  const [{ data, fetching }] = useQuery({
    query: ProductOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: productsContext,
  });
  // Archived products still filter: those who used them keep them.
  const options = (data?.products.edges ?? []).map(({ node }) => ({
    id: node.id,
    name: node.archived ? `${node.name} (archived)` : node.name,
  }));
  const more = (data?.products.totalCount ?? 0) > options.length;
  return (
    <Choice
      label="product"
      value={value}
      onChange={onChange}
      options={options}
      loading={fetching && !data}
      search={{ shown: true, value: search, set: setSearch }}
      hint={
        (more && `Showing the first ${options.length}; search to find others.`) ||
        (Boolean(data) && options.length === 0 && !search && "There are no products yet.")
      }
    />
  );
}
