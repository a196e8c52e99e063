import { useId, useState } from "react";
import { useMutation, useQuery } from "urql";
import { CreateCompanyDocument } from "../../companies/companies.generated";
import { SearchBox } from "../../components/SearchBox";
import { ALL_CONTEXT } from "../../lib/client";
import { mutationProblem } from "../../lib/problems";
import { CompanyOptionsDocument } from "../contacts.generated";

const companiesContext = { additionalTypenames: ["Company"] };

export type CompanyRef = { id: string; name: string };

/** Choose the contact's company, or create one from just a name without leaving the form. */
export function CompanyPicker({
  value,
  onChange,
  error,
}: {
  value: CompanyRef | null;
  onChange: (company: CompanyRef | null) => void;
  error?: string;
}) {
  const selectId = useId();
  const nameId = useId();
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: CompanyOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: companiesContext,
  });
  const [adding, setAdding] = useState(false);
  const [newName, setNewName] = useState("");
  const [addError, setAddError] = useState<string | null>(null);
  const [{ fetching: creating }, createCompany] = useMutation(CreateCompanyDocument);

  const options = data?.companies.edges.map((e) => e.node) ?? [];
  if (value && !options.some((o) => o.id === value.id)) options.unshift(value);
  const needsSearch = (data?.companies.totalCount ?? 0) > 100 || search !== "";

  async function add() {
    setAddError(null);
    const result = await createCompany({ input: { name: newName } }, ALL_CONTEXT);
    const payload = result.data?.createCompany;
    if (payload?.company) {
      onChange(payload.company);
      setAdding(false);
      setNewName("");
    } else {
      setAddError(mutationProblem(result, payload, "Could not add the company"));
    }
  }

  return (
    <div className="field">
      <label htmlFor={selectId}>Company</label>
      {needsSearch && (
        <SearchBox label="Find a company" placeholder="Find a company…" value={search} onSearch={setSearch} />
      )}
      <select
        id={selectId}
        value={value?.id ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${selectId}-error` : undefined}
        onChange={(e) => {
          const chosen = options.find((o) => o.id === e.target.value);
          onChange(chosen ? { id: chosen.id, name: chosen.name } : null);
        }}
      >
        <option value="">No company (individual customer)</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error" id={`${selectId}-error`}>
          {error}
        </p>
      )}
      {adding ? (
        <div className="inline-add">
          <label htmlFor={nameId} className="visually-hidden">
            New company name
          </label>
          <input
            id={nameId}
            type="text"
            placeholder="New company name"
            value={newName}
            autoFocus
            aria-invalid={addError ? true : undefined}
            aria-describedby={addError ? `${nameId}-error` : undefined}
            onChange={(e) => setNewName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void add();
              } else if (e.key === "Escape") {
                setAdding(false);
              }
            }}
          />
          <button type="button" className="button" disabled={creating} onClick={() => void add()}>
            {creating ? "Adding…" : "Add company"}
          </button>
          <button type="button" className="button button-quiet" onClick={() => setAdding(false)}>
            Cancel
          </button>
          {addError && (
            <p className="field-error" id={`${nameId}-error`} role="alert" style={{ flexBasis: "100%" }}>
              {addError}
            </p>
          )}
        </div>
      ) : (
        <div>
          <button type="button" className="link-button" onClick={() => setAdding(true)}>
            + Add quick company
          </button>
        </div>
      )}
    </div>
  );
}
