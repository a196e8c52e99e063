import { useId, useState } from "react";
import { useQuery } from "urql";
import { SearchBox } from "../components/SearchBox";
import { CampaignContactOptionsDocument } from "./campaigns.generated";
import { CAMPAIGN_CONTEXT } from "./labels";

export type ContactRef = { id: string; fullName: string; email?: string | null };

function optionLabel(contact: ContactRef): string {
  return contact.email ? `${contact.fullName} <${contact.email}>` : `${contact.fullName} (no email)`;
}

/** A contact found by name or email: a search box and a select of the first matches. */
export function ContactSelect({
  label,
  value,
  onChange,
  blank,
}: {
  label: string;
  value: ContactRef | null;
  onChange: (contact: ContactRef | null) => void;
  /** What choosing no one means. */
  blank: string;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: CampaignContactOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: CAMPAIGN_CONTEXT,
  });
  const options: ContactRef[] = data?.contacts.edges.map((e) => e.node) ?? [];
  if (value && !options.some((o) => o.id === value.id)) options.unshift(value);
  return (
    <div className="field contact-select">
      <label htmlFor={id}>{label}</label>
      <div className="contact-select-row">
        <SearchBox
          label={`${label}: find by name or email`}
          placeholder="Find by name or email…"
          value={search}
          onSearch={setSearch}
        />
        <select
          id={id}
          value={value?.id ?? ""}
          onChange={(e) => onChange(options.find((o) => o.id === e.target.value) ?? null)}
        >
          <option value="">{blank}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
