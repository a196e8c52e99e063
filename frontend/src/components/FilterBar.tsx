import * as Dialog from "@radix-ui/react-dialog";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import {
  CHANNELS,
  FILTER_KINDS,
  FILTER_LABELS,
  SHOW_LABELS,
  filterChips,
  type Channel,
  type Chip,
  type FilterKind,
  type FilterNames,
  type Filters,
  type Range,
  type Show,
} from "../lib/filters";
import { CONTACT_STATUSES, CONTACT_TYPES, PORTAL_STATUSES, keys } from "../lib/format";
import { GroupOptions } from "../lib/groups";
import { useAppSettings } from "../lib/settings";
import { SearchBox } from "./SearchBox";

const FilterNamesQuery = graphql(`
  query FilterNames(
    $companyId: ID!
    $groupId: ID!
    $withCompany: Boolean!
    $withGroup: Boolean!
  ) {
    company(id: $companyId) @include(if: $withCompany) {
      id
      name
    }
    group(id: $groupId) @include(if: $withGroup) {
      id
      name
    }
  }
`);

const FilterCompanyOptions = graphql(`
  query FilterCompanyOptions($search: String) {
    companies(search: $search, first: 100, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** The names of the company and group a filter names (null: deleted; undefined: loading). */
function useFilterNames(filters: Filters): FilterNames {
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data }] = useQuery({
    query: FilterNamesQuery,
    variables: {
      companyId: filters.company ?? "",
      groupId: filters.group ?? "",
      withCompany: Boolean(filters.company),
      withGroup: Boolean(filters.group),
    },
    pause: !filters.company && !filters.group,
    context,
  });
  if (!data) return {};
  return {
    company: data.company === undefined ? undefined : (data.company?.name ?? null),
    group: data.group === undefined ? undefined : (data.group?.name ?? null),
  };
}

/** The active filters as chips; read-only when there is no `onEdit`. */
export function FilterChips({
  chips,
  onEdit,
  onRemove,
  label = "Active filters",
}: {
  chips: Chip[];
  onEdit?: (chip: Chip) => void;
  onRemove?: (chip: Chip) => void;
  label?: string;
}) {
  if (chips.length === 0) return null;
  return (
    <ul className="chips" aria-label={label}>
      {chips.map((chip) => (
        <li key={chip.key} className="chip">
          {onEdit ? (
            <button
              type="button"
              className="chip-edit"
              aria-label={`Change filter ${chip.name}: ${chip.value}`}
              onClick={() => onEdit(chip)}
            >
              <span className="chip-name">{chip.name}:</span> {chip.value}
            </button>
          ) : (
            <span className="chip-text">
              <span className="chip-name">{chip.name}:</span> {chip.value}
            </span>
          )}
          {onRemove && (
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove filter ${chip.name}: ${chip.value}`}
              onClick={() => onRemove(chip)}
            >
              <span aria-hidden="true">×</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
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
        <FilterEditor
          kind={editing}
          filters={filters}
          onClose={() => setEditing(null)}
          onApply={(next) => {
            setEditing(null);
            onChange(next);
          }}
        />
      )}
    </div>
  );
}

function FilterEditor({
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
    if (kind === "country") {
      const code = trim(draft.country)?.toUpperCase() ?? null;
      if (code && !/^[A-Z]{2}$/.test(code)) {
        setError("Type the country's two-letter code, e.g. GB, FR, US.");
        return;
      }
      next = { ...draft, country: code };
    }
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

  const textField = (field: "city" | "industry" | "country", label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${uid}-${field}`}>{label}</label>
      <input
        id={`${uid}-${field}`}
        type="text"
        autoFocus
        autoComplete="off"
        maxLength={field === "country" ? 2 : 200}
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
    case "country":
      body = textField("country", "Country code", "Two letters, e.g. GB, FR, US.");
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
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className="button button-primary">
                Apply filter
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function CompanyChoice({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [{ data, fetching }] = useQuery({
    query: FilterCompanyOptions,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
  });
  const options = data?.companies.edges.map((e) => e.node) ?? [];
  return (
    <>
      <SearchBox label="Find a company" placeholder="Find a company…" value={search} onSearch={setSearch} />
      <div className="field">
        <label htmlFor={id}>Company</label>
        <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{fetching && !data ? "Loading…" : "Any company"}</option>
          {value && !options.some((o) => o.id === value) && (
            <option value={value}>The company chosen before</option>
          )}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {(data?.companies.totalCount ?? 0) > options.length && (
          <p className="hint">Showing the first {options.length}; search to find others.</p>
        )}
      </div>
    </>
  );
}

function GroupChoice({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const context = useMemo(() => ({ additionalTypenames: ["Group"] }), []);
  const [{ data, fetching }] = useQuery({
    query: GroupOptions,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context,
  });
  const options = data?.groups.edges.map((e) => e.node) ?? [];
  const many = (data?.groups.totalCount ?? 0) > options.length || search !== "";
  return (
    <>
      {many && <SearchBox label="Find a group" placeholder="Find a group…" value={search} onSearch={setSearch} />}
      <div className="field">
        <label htmlFor={id}>Group</label>
        <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{fetching && !data ? "Loading…" : "Any group"}</option>
          {value && !options.some((o) => o.id === value) && (
            <option value={value}>The group chosen before</option>
          )}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {data && options.length === 0 && !search && <p className="hint">There are no groups yet.</p>}
      </div>
    </>
  );
}
