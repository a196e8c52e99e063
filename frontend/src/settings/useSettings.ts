import { useMutation } from "urql";
import type { UpdateSettingsInput } from "../gql/schema";
import { usePageQuery } from "../components/QueryState";
import { APP_SETTINGS_CONTEXT } from "../lib/settings";
import { SettingsPageDocument, UpdateSettingsDocument } from "./settings.generated";

const SETTINGS_CONTEXT = { additionalTypenames: ["Settings"] };

/** The settings as in effect, read again whenever they change. */
export function useSettingsQuery() {
  return usePageQuery(SettingsPageDocument, {}, SETTINGS_CONTEXT);
}

/**
 * Saves the given fields only (null: back to the environment's value); every screen showing
 * the organisation's settings (the navigation's name among them) reads them again.
 */
export function useUpdateSettings() {
  const [{ fetching }, update] = useMutation(UpdateSettingsDocument);
  const save = async (input: UpdateSettingsInput) => {
    const result = await update({ input }, APP_SETTINGS_CONTEXT);
    return { result, payload: result.data?.updateSettings };
  };
  return [fetching, save] as const;
}
