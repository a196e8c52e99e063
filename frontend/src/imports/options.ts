import type {
  CommunicationChannel,
  ContactStatus,
  ContactType,
  ImportDuplicateMode,
  ImportInvalidValues,
  ImportOptionsInput,
  ImportUnknownProducts,
} from "../gql/schema";
import type { ImportJobFieldsFragment } from "./imports.generated";

export type GroupMode = "none" | "existing" | "new";

/** What happens to the imported rows: duplicates, a group, the defaults for empty cells, the
 * channels everyone in the file agreed to. */
export type Options = {
  duplicateMode: ImportDuplicateMode;
  groupMode: GroupMode;
  groupId: string;
  newGroupName: string;
  defaultType: ContactType;
  defaultStatus: ContactStatus;
  consents: CommunicationChannel[];
  unknownProducts: ImportUnknownProducts;
  invalidValues: ImportInvalidValues;
};

/** The options a job was last checked or started with. */
export function optionsOf(job: ImportJobFieldsFragment): Options {
  const o = job.options;
  return {
    duplicateMode: o.duplicateMode,
    groupMode: o.group ? "existing" : o.newGroupName ? "new" : "none",
    groupId: o.group?.id ?? "",
    newGroupName: o.newGroupName ?? "",
    defaultType: o.defaultType,
    defaultStatus: o.defaultStatus,
    consents: o.consents,
    unknownProducts: o.unknownProducts,
    invalidValues: o.invalidValues,
  };
}

/** The options as the API takes them: only the chosen kind of group. */
export function optionsInput(o: Options): ImportOptionsInput {
  return {
    duplicateMode: o.duplicateMode,
    groupId: o.groupMode === "existing" && o.groupId ? o.groupId : null,
    newGroupName: o.groupMode === "new" ? o.newGroupName.trim() || null : null,
    defaultType: o.defaultType,
    defaultStatus: o.defaultStatus,
    consents: o.consents,
    unknownProducts: o.unknownProducts,
    invalidValues: o.invalidValues,
  };
}

/** The step a job opened from the address bar resumes at. */
