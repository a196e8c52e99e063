import { useId, useState } from "react";
import { useMutation, useQuery } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { Field, TextField, describedBy } from "../components/ui";
import { SearchBox } from "../components/SearchBox";
import { ALL_CONTEXT } from "../lib/client";
import { plural } from "../lib/format";
import {
  AddContactsToGroupDocument,
  CreateGroupDocument,
  GroupOptionsDocument,
  UpdateGroupDocument,
} from "./groups.generated";

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const groupsContext = { additionalTypenames: ["Group"] };

export type GroupValues = { id: string; name: string; description?: string | null; colour?: string | null };

/** Create a group, or change one's name, description and colour. */
export function GroupFormDialog({
  open,
  onOpenChange,
  group,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  group?: GroupValues;
  onSaved: (group: GroupValues) => void;
}) {
  const uid = useId();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [colour, setColour] = useState(group?.colour ?? "");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching: creating }, create] = useMutation(CreateGroupDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateGroupDocument);

  // Each opening starts from the group as it is now.
  useOnOpen(open, () => {
    setName(group?.name ?? "");
    setDescription(group?.description ?? "");
    setColour(group?.colour ?? "");
    setErrors(NO_ERRORS);
  });

  async function save() {
    const fields = {
      name,
      description: description.trim() || null,
      colour: colour.trim() || null,
    };
    const result = group
      ? await update({ input: { id: group.id, ...fields } }, ALL_CONTEXT)
      : await create({ input: fields }, ALL_CONTEXT);
    const payload =
      result.data && ("updateGroup" in result.data ? result.data.updateGroup : result.data.createGroup);
    if (payload?.group && payload.errors.length === 0) {
      onSaved(payload.group);
      onOpenChange(false);
    } else {
      setErrors(formErrors(result, payload, ["name", "description", "colour"], "Could not save the group."));
    }
  }

  const descriptionId = `${uid}-description`;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={group ? `Edit group ${group.name}` : "New group"}
      submitLabel={group ? "Save group" : "Create group"}
      busy={creating || updating}
      errors={errors.general}
      onSubmit={() => void save()}
    >
      <TextField
        id={`${uid}-name`}
        label="Name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoFocus
        maxLength={100}
      />
      <Field id={descriptionId} label="Description" error={errors.fields.description}>
        <textarea
          id={descriptionId}
          rows={2}
          value={description}
          aria-invalid={errors.fields.description ? true : undefined}
          aria-describedby={describedBy(descriptionId, errors.fields.description)}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <TextField
        id={`${uid}-colour`}
        label="Colour"
        value={colour}
        onChange={setColour}
        error={errors.fields.colour}
        hint="Optional, like #1f8a70."
        maxLength={7}
        placeholder="#rrggbb"
        after={
          <>
            <input
              type="color"
              aria-label="Pick a colour"
              value={COLOUR.test(colour) ? colour.toLowerCase() : "#2553c8"}
              onChange={(e) => setColour(e.target.value)}
            />
            {colour && (
              <button type="button" className="button button-quiet button-small" onClick={() => setColour("")}>
                No colour
              </button>
            )}
          </>
        }
      />
    </FormDialog>
  );
}

/** Add contacts to an existing group, or to a new one made in the same dialog. */
export function AddToGroupDialog({
  open,
  onOpenChange,
  contactIds,
  onDone,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contactIds: string[];
  onDone: (message: string, tone: "ok" | "error", group?: { id: string; name: string }) => void;
}) {
  const uid = useId();
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [groupId, setGroupId] = useState("");
  const [newName, setNewName] = useState("");
  const [search, setSearch] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ data }] = useQuery({
    query: GroupOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    pause: !open,
    context: groupsContext,
  });
  const [{ fetching: creating }, create] = useMutation(CreateGroupDocument);
  const [{ fetching: adding }, add] = useMutation(AddContactsToGroupDocument);
  const options = data?.groups.edges.map((e) => e.node) ?? [];
  const noGroups = data && data.groups.totalCount === 0 && !search;
  const effectiveMode = noGroups ? "new" : mode;

  useOnOpen(open, () => {
    setGroupId("");
    setNewName("");
    setSearch("");
    setMode("existing");
    setErrors(NO_ERRORS);
  });

  async function submit() {
    setErrors(NO_ERRORS);
    let target: { id: string; name: string } | undefined;
    if (effectiveMode === "new") {
      const result = await create({ input: { name: newName } }, ALL_CONTEXT);
      const payload = result.data?.createGroup;
      if (!payload?.group) {
        setErrors(formErrors(result, payload, ["name"], "Could not create the group."));
        return;
      }
      target = payload.group;
    } else {
      target = options.find((o) => o.id === groupId);
      if (!target) {
        setErrors({ fields: { groupId: "Choose a group." }, general: [] });
        return;
      }
    }
    const result = await add({ input: { groupId: target.id, contactIds } }, ALL_CONTEXT);
    const payload = result.data?.addContactsToGroup;
    if (!payload) {
      setErrors({ fields: {}, general: [result.error?.message ?? "Could not add to the group."] });
      return;
    }
    const already = contactIds.length - payload.changedCount - payload.errors.length;
    const parts = [`Added ${plural(payload.changedCount, "contact")} to ${target.name}.`];
    if (already > 0) parts.push(`${already} ${already === 1 ? "was" : "were"} already in it.`);
    if (payload.errors.length) parts.push(`${plural(payload.errors.length, "contact")} no longer exist.`);
    onOpenChange(false);
    onDone(parts.join(" "), payload.errors.length ? "error" : "ok", target);
  }

  const who = contactIds.length === 1 ? "this contact" : `${contactIds.length} contacts`;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add to group"
      description={<p>Add {who} to a group. Contacts already in the group stay as they are.</p>}
      submitLabel="Add to group"
      busy={creating || adding}
      errors={errors.general}
      onSubmit={() => void submit()}
    >
      {data && !noGroups && (
        <fieldset className="filter-options radio-row">
          <legend className="visually-hidden">Which group</legend>
          <label className="check">
            <input
              type="radio"
              name={`${uid}-mode`}
              checked={effectiveMode === "existing"}
              onChange={() => setMode("existing")}
            />
            An existing group
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${uid}-mode`}
              checked={effectiveMode === "new"}
              onChange={() => setMode("new")}
            />
            A new group
          </label>
        </fieldset>
      )}
      {effectiveMode === "existing" ? (
        <>
          {((data?.groups.totalCount ?? 0) > options.length || search) && (
            <SearchBox label="Find a group" placeholder="Find a group…" value={search} onSearch={setSearch} />
          )}
          <Field id={`${uid}-group`} label="Group" error={errors.fields.groupId}>
            <select
              id={`${uid}-group`}
              value={groupId}
              aria-invalid={errors.fields.groupId ? true : undefined}
              aria-describedby={describedBy(`${uid}-group`, errors.fields.groupId)}
              onChange={(e) => setGroupId(e.target.value)}
            >
              <option value="">Choose a group…</option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} ({plural(o.memberCount, "member")})
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : (
        <TextField
          id={`${uid}-new`}
          label="New group name"
          value={newName}
          onChange={setNewName}
          error={errors.fields.name}
          autoFocus
          maxLength={100}
        />
      )}
    </FormDialog>
  );
}

