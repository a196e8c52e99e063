import { useId, useState } from "react";
import { useQuery } from "urql";
import { SearchBox } from "../../components/SearchBox";
import { SelectField } from "../../components/ui";
import { GroupOptionsDocument } from "../../groups/groups.generated";
import type { CommunicationChannel } from "../../gql/schema";
import { CHANNELS, CONTACT_STATUSES, CONTACT_TYPES, keys, plural } from "../../lib/format";
import { useAppSettings } from "../../lib/settings";
import { DUPLICATE_MODES, INVALID_VALUE_MODES, UNKNOWN_PRODUCT_MODES } from "../labels";
import type { Options } from "../options";
import { useImportTarget } from "../target";
import { GeneralProblems } from "../parts";
import type { Problems } from "../useImportJob";

const listContext = { additionalTypenames: ["Contact", "Group"] };

/** Step 4: duplicates, group, defaults, consent. */
export function OptionsStep({
  values,
  onChange,
  checkedWith,
  onRecheck,
  rechecking,
  problems,
  busy,
  onBack,
  onStart,
}: {
  values: Options;
  onChange: (values: Options) => void;
  /** The options the rows were checked with. */
  checkedWith: Options;
  onRecheck: () => void;
  rechecking: boolean;
  problems: Problems;
  busy: boolean;
  onBack: () => void;
  onStart: () => void;
}) {
  const uid = useId();
  const isContacts = useImportTarget().target === "CONTACTS";
  const set = <K extends keyof Options>(key: K, value: Options[K]) => onChange({ ...values, [key]: value });
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: GroupOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: listContext,
  });
  const groups = data?.groups.edges.map((e) => e.node) ?? [];
  const smsEnabled = useAppSettings()?.smsEnabled ?? false;
  const channels = keys(CHANNELS).filter((channel) => channel !== "SMS" || smsEnabled);
  const toggleConsent = (channel: CommunicationChannel, agreed: boolean) =>
    set("consents", channels.filter((c) => (c === channel ? agreed : values.consents.includes(c))));
  // The check's counts depend on these; the group and the status do not change them.
  const changed: string[] = [];
  if (values.defaultType !== checkedWith.defaultType) {
    changed.push(`“${CONTACT_TYPES[checkedWith.defaultType]}” as the default type`);
  }
  if (values.duplicateMode !== checkedWith.duplicateMode) {
    const mode = DUPLICATE_MODES.find((m) => m.value === checkedWith.duplicateMode);
    changed.push(`duplicates set to “${mode?.label ?? checkedWith.duplicateMode}”`);
  }
  if (values.invalidValues !== checkedWith.invalidValues) {
    changed.push("what an invalid value does");
  }
  if (values.unknownProducts !== checkedWith.unknownProducts) {
    changed.push("what an unknown product does");
  }
  const outdated = changed.join(" and ");
  const groupError = problems.fields["options.groupId"];
  const nameError = problems.fields["options.newGroupName"];
  const consentError = problems.fields["options.consents"];
  const known = ["options.groupId", "options.newGroupName", "options.consents"];
  const general = [
    ...problems.general,
    ...Object.entries(problems.fields)
      .filter(([key]) => !known.includes(key))
      .map(([, message]) => message),
  ];

  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onStart();
      }}
    >
      <GeneralProblems problems={general} />
      <fieldset className="card">
        <legend>{isContacts ? "Contacts" : "Companies"} already in the CRM</legend>
        <p className="hint fieldset-hint">
          {isContacts
            ? "A row is a duplicate when its email belongs to an existing contact."
            : "A row is a duplicate when its ID, else its website's domain, else its name belongs to an existing company."}
        </p>
        <div className="choice-list">
          {DUPLICATE_MODES.map((mode) => (
            <label key={mode.value} className="choice">
              <input
                type="radio"
                name={`${uid}-duplicates`}
                value={mode.value}
                checked={values.duplicateMode === mode.value}
                aria-describedby={`${uid}-dup-${mode.value}`}
                onChange={() => set("duplicateMode", mode.value)}
              />
              <span>
                <span className="choice-label">{mode.label}</span>
                <span className="hint" id={`${uid}-dup-${mode.value}`}>
                  {mode.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <ChoiceFieldset
        legend="Invalid values"
        name={`${uid}-invalid`}
        modes={INVALID_VALUE_MODES}
        value={values.invalidValues}
        onChange={(mode) => set("invalidValues", mode)}
      />
      <ChoiceFieldset
        legend="Products not in the catalogue"
        name={`${uid}-products`}
        modes={UNKNOWN_PRODUCT_MODES}
        value={values.unknownProducts}
        onChange={(mode) => set("unknownProducts", mode)}
      />

      {isContacts && (
        <>
          <fieldset className="card">
            <legend>Add the contacts to a group</legend>
            <div className="radio-row group-mode">
              {(
                [
                  ["none", "No group"],
                  ["existing", "An existing group"],
                  ["new", "A new group"],
                ] as const
              ).map(([mode, label]) => (
                <label key={mode} className="check">
                  <input
                    type="radio"
                    name={`${uid}-group-mode`}
                    checked={values.groupMode === mode}
                    onChange={() => set("groupMode", mode)}
                  />
                  {label}
                </label>
              ))}
            </div>
            {values.groupMode === "existing" && (
              <div className="group-pick">
                {((data?.groups.totalCount ?? 0) > groups.length || search) && (
                  <SearchBox label="Find a group" placeholder="Find a group…" value={search} onSearch={setSearch} />
                )}
                <div className="field">
                  <label htmlFor={`${uid}-group`}>Group</label>
                  <select
                    id={`${uid}-group`}
                    value={values.groupId}
                    aria-invalid={groupError ? true : undefined}
                    aria-describedby={groupError ? `${uid}-group-error` : undefined}
                    onChange={(e) => set("groupId", e.target.value)}
                  >
                    <option value="">Choose a group…</option>
                    {groups.map((g) => (
                      <option key={g.id} value={g.id}>
                        {g.name} ({plural(g.memberCount, "member")})
                      </option>
                    ))}
                  </select>
                  {groupError && (
                    <p className="field-error" id={`${uid}-group-error`}>
                      {groupError}
                    </p>
                  )}
                </div>
              </div>
            )}
            {values.groupMode === "new" && (
              <div className="field group-pick">
                <label htmlFor={`${uid}-new-group`}>New group name</label>
                <input
                  id={`${uid}-new-group`}
                  type="text"
                  value={values.newGroupName}
                  maxLength={100}
                  autoComplete="off"
                  aria-invalid={nameError ? true : undefined}
                  aria-describedby={`${uid}-new-group-hint${nameError ? ` ${uid}-new-group-error` : ""}`}
                  onChange={(e) => set("newGroupName", e.target.value)}
                />
                <p className="hint" id={`${uid}-new-group-hint`}>
                  The group is created when the import starts.
                </p>
                {nameError && (
                  <p className="field-error" id={`${uid}-new-group-error`}>
                    {nameError}
                  </p>
                )}
              </div>
            )}
          </fieldset>

          <fieldset className="card">
            <legend>Rows that do not say</legend>
            <p className="hint fieldset-hint">Used when the file has no Type or Status column, or the cell is empty.</p>
            <div className="form-grid">
              <SelectField
                id={`${uid}-type`}
                label="Default type"
                value={values.defaultType}
                onChange={(type) => set("defaultType", type)}
                options={CONTACT_TYPES}
              />
              <SelectField
                id={`${uid}-status`}
                label="Default status"
                value={values.defaultStatus}
                onChange={(status) => set("defaultStatus", status)}
                options={CONTACT_STATUSES}
              />
            </div>
          </fieldset>

          <fieldset className="card" aria-describedby={`${uid}-consent-hint`}>
            <legend>The people in this file agreed to</legend>
            <p className="hint fieldset-hint" id={`${uid}-consent-hint`}>
              Tick a channel only if everyone in this file agreed to be contacted that way: the import
              records it as their consent, given by import. A consent column in the file still decides
              for its own rows. An email, phone or address alone records no consent.
            </p>
            <div className="checkbox-row">
              {channels.map((channel) => (
                <label className="check" key={channel}>
                  <input
                    type="checkbox"
                    checked={values.consents.includes(channel)}
                    aria-invalid={consentError ? true : undefined}
                    onChange={(e) => toggleConsent(channel, e.target.checked)}
                  />
                  {CHANNELS[channel]}
                </label>
              ))}
            </div>
            {consentError && <p className="field-error">{consentError}</p>}
          </fieldset>
        </>
      )}

      <div aria-live="polite">
        {outdated && (
          <div className="notice notice-warning recheck">
            <p>
              The rows were checked with {outdated}. That can change which rows are valid: a client or
              a prospect needs an email, for example.
            </p>
            <button type="button" className="button button-small" disabled={rechecking} onClick={onRecheck}>
              {rechecking ? "Checking…" : "Check the rows again"}
            </button>
          </div>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Starting…" : "Start the import"}
        </button>
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}

/** One option of the import as a radio list with a hint under each choice. */
function ChoiceFieldset<T extends string>({
  legend,
  name,
  modes,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  modes: { value: T; label: string; hint: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="card">
      <legend>{legend}</legend>
      <div className="choice-list">
        {modes.map((mode) => (
          <label key={mode.value} className="choice">
            <input
              type="radio"
              name={name}
              value={mode.value}
              checked={value === mode.value}
              aria-describedby={`${name}-${mode.value}`}
              onChange={() => onChange(mode.value)}
            />
            <span>
              <span className="choice-label">{mode.label}</span>
              <span className="hint" id={`${name}-${mode.value}`}>
                {mode.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
