import { useId } from "react";
import { useSearchParams } from "react-router";
import { NO_OWNER } from "../contacts/filters";
import type { CompanyFilter } from "../gql/schema";
import { useAuth } from "../lib/auth";
import { updateParams } from "../lib/listParams";
import { ownerName, useStaffDirectory } from "./OwnerSelect";
import "./owners.css";

/** The API's filter for an `owner` address value: a staff user's id, or NO_OWNER. */
export function ownerFilter(owner: string | null): Pick<CompanyFilter, "ownerId" | "hasOwner"> {
  if (!owner) return {};
  return owner === NO_OWNER ? { hasOwner: false } : { ownerId: owner };
}

/** A list's filter by owner, kept in the address as `owner`: "Me" first, then nobody, then colleagues. */
export function OwnerFilter() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const { user } = useAuth();
  const { staff } = useStaffDirectory(true);
  const value = params.get("owner") ?? "";
  const others = staff.filter((s) => s.id !== user?.id);
  return (
    <div className="inline-field owner-filter">
      <label htmlFor={id}>Owner</label>
      <select id={id} value={value} onChange={(e) => updateParams(params, setParams, { owner: e.target.value || null })}>
        <option value="">Anyone</option>
        {user && <option value={user.id}>Me</option>}
        <option value={NO_OWNER}>Nobody</option>
        {value && value !== NO_OWNER && value !== user?.id && !others.some((o) => o.id === value) && (
          <option value={value}>…</option>
        )}
        {others.map((o) => (
          <option key={o.id} value={o.id}>
            {ownerName(o)}
          </option>
        ))}
      </select>
    </div>
  );
}
