import { useQuery } from "urql";
import { graphql } from "../gql";

const AppSettingsQuery = graphql(`
  query AppSettings {
    appSettings {
      defaultCountry
      smsEnabled
    }
  }
`);

export type AppSettings = { defaultCountry: string; smsEnabled: boolean };

const context = { additionalTypenames: ["AppSettings"] };

/** The organisation's settings the screens need; null until they have loaded. */
export function useAppSettings(): AppSettings | null {
  const [{ data }] = useQuery({ query: AppSettingsQuery, requestPolicy: "cache-first", context });
  return data?.appSettings ?? null;
}
