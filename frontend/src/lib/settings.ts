import { useQuery } from "urql";
import { AppSettingsDocument } from "./settings.generated";

export type AppSettings = { defaultCountry: string; smsEnabled: boolean };

const context = { additionalTypenames: ["AppSettings"] };

/** The organisation's settings the screens need; null until they have loaded. */
export function useAppSettings(): AppSettings | null {
  const [{ data }] = useQuery({ query: AppSettingsDocument, requestPolicy: "cache-first", context });
  return data?.appSettings ?? null;
}
