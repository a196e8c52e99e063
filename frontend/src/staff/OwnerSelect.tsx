import { useId } from "react";
import { useQuery } from "urql";
import { Field, describedBy } from "../components/ui";
import type { StaffStatus } from "../gql/schema";
import { useAuth } from "../lib/auth";
import { StaffDirectoryDocument } from "./owners.generated";

export type OwnerRef = { id: string; name: string; email: string; status: StaffStatus };

const staffContext = { additionalTypenames: ["StaffUser"] };

/** How an owner is named: their name (else their email), and whether they have left. */
export function ownerName(owner: Pick<OwnerRef, "name" | "email" | "status">): string {
  const name = owner.name || owner.email;
  return owner.status === "DEACTIVATED" ? `${name} (deactivated)` : name;
}

/** The staff users a select offers, by name; the deactivated only when asked for. */
export function useStaffDirectory(includeDeactivated: boolean): { staff: OwnerRef[]; loading: boolean } {
  const [{ data, fetching }] = useQuery({
    query: StaffDirectoryDocument,
    variables: { includeDeactivated },
    requestPolicy: "cache-and-network",
    context: staffContext,
  });
  return { staff: data?.staffDirectory.edges.map((e) => e.node) ?? [], loading: fetching && !data };
}

/**
 * The form's Owner: a colleague who can still sign in, or nobody. A record whose owner has
 * been deactivated keeps them (shown as such) until someone else is chosen.
 */
export function OwnerSelect({
  value,
  onChange,
  error,
  what,
}: {
  value: OwnerRef | null;
  onChange: (owner: OwnerRef | null) => void;
  error?: string;
  what: "contact" | "company";
}) {
  const id = useId();
  const { staff, loading } = useStaffDirectory(false);
  const options = value && !staff.some((s) => s.id === value.id) ? [value, ...staff] : staff;
  return (
    <Field id={id} label="Owner" error={error} hint={`Who follows this ${what} up.`}>
      <select
        id={id}
        value={value?.id ?? ""}
        onChange={(e) => onChange(options.find((o) => o.id === e.target.value) ?? null)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, true)}
      >
        <option value="">{loading ? "Loading…" : "Nobody"}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {ownerName(o)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The signed-in staff user as a new record's owner. */
export function ownerOf(user: { id: string; name: string; email: string } | null): OwnerRef | null {
  return user && { id: user.id, name: user.name, email: user.email, status: "ACTIVE" };
}

/**
 * A list filter's owner: "Me" first, then nobody, then every colleague (those who left too,
 * whose records may wait to be reassigned). `noOwner` is the value that means nobody.
 */
export function OwnerChoice({
  value,
  onChange,
  noOwner,
}: {
  value: string | null;
  onChange: (owner: string | null) => void;
  noOwner: string;
}) {
  const id = useId();
  const { user } = useAuth();
  const { staff, loading } = useStaffDirectory(true);
  const others = staff.filter((s) => s.id !== user?.id);
  return (
    <div className="field">
      <label htmlFor={id}>Owner</label>
      <select id={id} value={value ?? ""} autoFocus onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{loading ? "Loading…" : "Anyone"}</option>
        {user && <option value={user.id}>Me</option>}
        <option value={noOwner}>Nobody</option>
        {value && value !== noOwner && value !== user?.id && !others.some((o) => o.id === value) && (
          <option value={value}>The owner chosen before</option>
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
