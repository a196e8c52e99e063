import { useQuery } from "urql";
import { AppSettingsDocument } from "./settings.generated";

export type AppSettings = {
  organisationName: string;
  defaultCountry: string;
  smsEnabled: boolean;
  logoUrl?: string | null;
};

/** A mutation's context that makes every screen read the organisation's settings again. */
export const APP_SETTINGS_CONTEXT = { additionalTypenames: ["AppSettings"] };

/** The organisation's settings the screens need; null until they have loaded. */
export function useAppSettings(): AppSettings | null {
  const [{ data }] = useQuery({ query: AppSettingsDocument, requestPolicy: "cache-first", context: APP_SETTINGS_CONTEXT });
  return data?.appSettings ?? null;
}
