import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import { DialogActions } from "../../components/DialogActions";
import { SearchBox } from "../../components/SearchBox";
import { SelectField } from "../../components/ui";
import type { BulkAction, BulkOperationInput, ContactSelectionInput, ContactStatus, ContactType } from "../../gql/schema";
import { GroupOptionsDocument } from "../../groups/groups.generated";
import { ALL_CONTEXT } from "../../lib/client";
import { CONTACT_STATUSES, CONTACT_TYPES, plural } from "../../lib/format";
import { mutationProblem } from "../../lib/problems";
import { ProductPicker, type ProductRef } from "../../products/ProductPicker";
import { ownerName, useStaffDirectory } from "../../staff/OwnerSelect";
import { CompanyPicker, type CompanyRef } from "../form/CompanyPicker";
import { BulkPreviewDocument, StartBulkOperationDocument, type BulkOperationFieldsFragment } from "./bulk.generated";
import { BULK_ACTIONS, contactCount, skipReasons } from "./labels";

export type BulkActionDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  action: BulkAction;
  /** How many contacts are selected, as the bar says: "12 contacts", "about 12,000 contacts". */
  contacts: string;
  selection: ContactSelectionInput;
  wholeView: boolean;
  /** The companies whose primary contact is selected (as far as the ticked rows tell). */
  primaryOf: readonly string[];
  onStarted: (operation: BulkOperationFieldsFragment) => void;
};

/** The value an action sets, with the name the confirmation gives it. */
type Value = {
  group?: { id: string; name: string } | null;
  type?: ContactType | "";
  status?: ContactStatus | "";
  owner?: { id: string; name: string } | null;
  company?: CompanyRef | null;
  product?: ProductRef | null;
};

/**
 * One bulk action on the selected contacts: choosing its value (a group, a status, …), then a
 * confirmation that says how many will change and why the others will not (from
 * `bulkPreview`); deleting asks for the number to be typed. Confirming starts the work in the
 * background and hands the operation to `onStarted`.
 */
export default function BulkActionDialog({
  open,
  onOpenChange,
  action,
  contacts,
  selection,
  wholeView,
  primaryOf,
  onStarted,
}: BulkActionDialogProps) {
  const wording = BULK_ACTIONS[action];
  const [step, setStep] = useState<"value" | "confirm">(wording.needsValue ? "value" : "confirm");
  const [value, setValue] = useState<Value>({});
  const [problem, setProblem] = useState<string | null>(null);
  const input = inputFor(action, selection, value);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog bulk-dialog" aria-describedby={undefined}>
          <Dialog.Title className="dialog-title">
            {wording.menu.replace("…", "")}: {contacts}
          </Dialog.Title>
          {step === "value" ? (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                const missing = missingValue(action, value);
                setProblem(missing);
                if (!missing) setStep("confirm");
              }}
            >
              <ValueFields action={action} value={value} onChange={setValue} />
              {problem && (
                <p className="notice notice-error" role="alert">
                  {problem}
                </p>
              )}
              <DialogActions>
                <button type="submit" className="button button-primary">
                  Continue
                </button>
              </DialogActions>
            </form>
          ) : (
            <Confirmation
              action={action}
              input={input}
              change={changeWords(action, value)}
              wholeView={wholeView}
              primaryOf={primaryOf}
              onBack={wording.needsValue ? () => setStep("value") : undefined}
              onStarted={(operation) => {
                onOpenChange(false);
                onStarted(operation);
              }}
            />
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function inputFor(action: BulkAction, selection: ContactSelectionInput, value: Value): BulkOperationInput {
  return {
    action,
    selection,
    groupId: value.group?.id ?? null,
    productId: value.product?.id ?? null,
    companyId: value.company?.id ?? null,
    ownerId: value.owner?.id ?? null,
    type: value.type || null,
    status: value.status || null,
  };
}

/** Why the dialog cannot go on yet, or null. */
function missingValue(action: BulkAction, value: Value): string | null {
  if ((action === "ADD_TO_GROUP" || action === "REMOVE_FROM_GROUP") && !value.group) return "Choose a group.";
  if (action === "SET_TYPE" && !value.type) return "Choose a type.";
  if (action === "SET_STATUS" && !value.status) return "Choose a status.";
  if (action === "ADD_PRODUCT" && !value.product) return "Choose a product.";
  return null;
}

/** What happens to each contact that changes: "added to VIP", "invited". */
function changeWords(action: BulkAction, value: Value): string {
  switch (action) {
    case "ADD_TO_GROUP":
      return `added to ${value.group?.name}`;
    case "REMOVE_FROM_GROUP":
      return `removed from ${value.group?.name}`;
    case "SET_TYPE":
      return `made ${value.type ? CONTACT_TYPES[value.type] : ""}`;
    case "SET_STATUS":
      return `set to ${value.status ? CONTACT_STATUSES[value.status] : ""}`;
    case "SET_OWNER":
      return value.owner ? `given to ${value.owner.name}` : "left without an owner";
    case "SET_COMPANY":
      return value.company ? `moved to ${value.company.name}` : "left without a company";
    case "ADD_PRODUCT":
      return `given ${value.product?.name}`;
    case "INVITE":
      return "invited";
    case "ARCHIVE":
      return "archived";
    case "RESTORE":
      return "restored";
    case "DELETE":
      return "deleted";
  }
}

function ValueFields({
  action,
  value,
  onChange,
}: {
  action: BulkAction;
  value: Value;
  onChange: (value: Value) => void;
}) {
  const id = useId();
  switch (action) {
    case "ADD_TO_GROUP":
    case "REMOVE_FROM_GROUP":
      return <GroupChoice value={value.group ?? null} onChange={(group) => onChange({ group })} />;
    case "SET_TYPE":
      return (
        <SelectField
          id={`${id}-type`}
          label="Type"
          value={value.type ?? ""}
          blank="Choose a type…"
          options={CONTACT_TYPES}
          onChange={(type) => onChange({ type })}
        />
      );
    case "SET_STATUS":
      return (
        <SelectField
          id={`${id}-status`}
          label="Status"
          value={value.status ?? ""}
          blank="Choose a status…"
          options={CONTACT_STATUSES}
          onChange={(status) => onChange({ status })}
        />
      );
    case "SET_OWNER":
      return <OwnerChoice value={value.owner ?? null} onChange={(owner) => onChange({ owner })} />;
    case "SET_COMPANY":
      return <CompanyPicker value={value.company ?? null} onChange={(company) => onChange({ company })} />;
    case "ADD_PRODUCT":
      return (
        <ProductPicker
          label="Product"
          value={value.product ? [value.product] : []}
          onChange={(products) => onChange({ product: products.at(-1) ?? null })}
        />
      );
    default:
      return null;
  }
}

const groupsContext = { additionalTypenames: ["Group"] };

function GroupChoice({
  value,
  onChange,
}: {
  value: { id: string; name: string } | null;
  onChange: (group: { id: string; name: string } | null) => void;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: GroupOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: groupsContext,
  });
  const options = data?.groups.edges.map((e) => e.node) ?? [];
  return (
    <>
      {((data?.groups.totalCount ?? 0) > options.length || search) && (
        <SearchBox label="Find a group" placeholder="Find a group…" value={search} onSearch={setSearch} />
      )}
      <div className="field">
        <label htmlFor={id}>Group</label>
        <select
          id={id}
          value={value?.id ?? ""}
          autoFocus
          onChange={(e) => onChange(options.find((o) => o.id === e.target.value) ?? null)}
        >
          <option value="">{data ? "Choose a group…" : "Loading…"}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({plural(o.memberCount, "member")})
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function OwnerChoice({
  value,
  onChange,
}: {
  value: { id: string; name: string } | null;
  onChange: (owner: { id: string; name: string } | null) => void;
}) {
  const id = useId();
  const { staff, loading } = useStaffDirectory(false);
  return (
    <div className="field">
      <label htmlFor={id}>Owner</label>
      <select
        id={id}
        value={value?.id ?? ""}
        autoFocus
        onChange={(e) => {
          const chosen = staff.find((s) => s.id === e.target.value);
          onChange(chosen ? { id: chosen.id, name: ownerName(chosen) } : null);
        }}
      >
        <option value="">{loading ? "Loading…" : "Nobody"}</option>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {ownerName(s)}
          </option>
        ))}
      </select>
    </div>
  );
}

function Confirmation({
  action,
  input,
  change,
  wholeView,
  primaryOf,
  onBack,
  onStarted,
}: {
  action: BulkAction;
  input: BulkOperationInput;
  change: string;
  wholeView: boolean;
  primaryOf: readonly string[];
  onBack?: () => void;
  onStarted: (operation: BulkOperationFieldsFragment) => void;
}) {
  const typedId = useId();
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: BulkPreviewDocument,
    variables: { input },
    requestPolicy: "network-only",
  });
  const [{ fetching: starting }, start] = useMutation(StartBulkOperationDocument);
  const preview = data?.bulkPreview;
  const deleting = action === "DELETE";
  const typedRight = !deleting || (preview !== undefined && Number(typed.replace(/[\s,.]/g, "")) === preview.matching);
  const ready = preview !== undefined && preview.willChange > 0 && typedRight && !starting;

  async function confirm() {
    if (!preview) return;
    const result = await start(
      { input: { ...input, confirmCount: deleting ? preview.matching : null } },
      ALL_CONTEXT,
    );
    const payload = result.data?.startBulkOperation;
    const failed = mutationProblem(result, payload, "Could not start.");
    if (failed || !payload?.operation) setProblem(failed ?? "Could not start.");
    else onStarted(payload.operation);
  }

  let summary: ReactNode = <p>Counting the contacts…</p>;
  if (error) summary = <p className="notice notice-error">{error.message}</p>;
  else if (preview && !fetching) summary = <PreviewSummary preview={preview} change={change} />;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void confirm();
      }}
    >
      <div className="dialog-description" aria-live="polite">
        {summary}
        {deleting && preview && (
          <p>This erases them and their personal data everywhere. It cannot be undone.</p>
        )}
        {action === "ARCHIVE" && primaryOf.length > 0 && <LostPrimaryContacts companies={primaryOf} />}
        {action === "ARCHIVE" && wholeView && preview && (
          <p>Undo is not offered for a whole view: they can be restored from “Archived contacts”.</p>
        )}
      </div>
      {deleting && preview && preview.willChange > 0 && (
        <div className="field">
          <label htmlFor={typedId}>
            Type <strong>{preview.matching}</strong> to confirm
          </label>
          <input
            id={typedId}
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      )}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <DialogActions>
        {onBack && (
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
        )}
        <button
          type="submit"
          className={`button ${action === "DELETE" || action === "ARCHIVE" ? "button-danger" : "button-primary"}`}
          disabled={!ready}
        >
          {starting ? "Starting…" : `${BULK_ACTIONS[action].verb} ${contactCount(preview?.willChange ?? 0)}`}
        </button>
      </DialogActions>
    </form>
  );
}

function PreviewSummary({
  preview,
  change,
}: {
  preview: { matching: number; willChange: number; skipped: readonly { reason: string; count: number }[] };
  change: string;
}) {
  const { matching, willChange } = preview;
  const left = matching - willChange;
  const of = (n: number) => `${n.toLocaleString("en-GB")} of ${matching.toLocaleString("en-GB")}`;
  if (matching === 0) return <p>No contacts match any more.</p>;
  return (
    <>
      <p>
        {willChange === matching
          ? `${matching === 1 ? "It" : `All ${matching.toLocaleString("en-GB")}`} will be ${change}.`
          : `${of(willChange)} will be ${change}.`}
      </p>
      {left > 0 && (
        <p className="bulk-skips">
          {of(left)} will not be {change}: {skipReasons(preview.skipped) || "they are so already"}.
        </p>
      )}
    </>
  );
}

/** Archiving takes the primary role from the contacts who have it: which companies lose it. */
function LostPrimaryContacts({ companies }: { companies: readonly string[] }) {
  const one = companies.length === 1;
  const named = companies.length <= 3 ? companies.join(", ") : `${companies.length} companies`;
  return (
    <p className="notice notice-warning">
      {named} will have no primary contact: archiving takes the role from{" "}
      {one ? "its primary contact, who is selected" : "their primary contacts, who are selected"}.
    </p>
  );
}
