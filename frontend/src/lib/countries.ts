import { countryName } from "./format";

// The ISO 3166 codes the server takes for an address or a filter (Python phonenumbers'
// SUPPORTED_REGIONS): their names come from the browser (Intl.DisplayNames), not a data file.
const CODES =
  "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
  "BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC " +
  "EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK " +
  "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB " +
  "LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY " +
  "MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS " +
  "RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL " +
  "TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

// Names in these languages also find a country ("Schweden", "Suisse"), besides the browser's own.
const OTHER_LANGUAGES = ["de", "fr", "es", "it"];

export type Country = {
  code: string;
  /** The name shown: English, like the rest of the app. */
  name: string;
  /** Its names in other languages, for matching only. */
  aliases: string[];
  folded: string;
  foldedAliases: string[];
};

/** Lower case without accents, so "ZÜRICH" and "zurich", "Réunion" and "reunion" match. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

let cached: Country[] | null = null;

/** Every country the server takes, by English name. */
export function countries(): Country[] {
  if (cached) return cached;
  const languages = [...new Set([...(navigator.languages ?? []), ...OTHER_LANGUAGES])].filter(
    (language) => !language.toLowerCase().startsWith("en"),
  );
  const namers = languages.flatMap((language) => {
    try {
      return [new Intl.DisplayNames([language], { type: "region" })];
    } catch {
      return [];
    }
  });
  cached = CODES.split(" ")
    .map((code) => {
      const name = countryName(code);
      const aliases = [...new Set(namers.map((namer) => namer.of(code) ?? name))].filter(
        (alias) => fold(alias) !== fold(name),
      );
      return { code, name, aliases, folded: fold(name), foldedAliases: aliases.map(fold) };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  return cached;
}

/** How well a country answers the text typed: lower is better, null is no match. */
function rank(country: Country, query: string): number | null {
  if (country.code.toLowerCase() === query) return 0;
  if (country.folded.startsWith(query)) return 1;
  if (country.folded.includes(` ${query}`)) return 2;
  if (country.folded.includes(query)) return 3;
  if (country.foldedAliases.some((alias) => alias.startsWith(query))) return 4;
  if (country.foldedAliases.some((alias) => alias.includes(query))) return 5;
  return null;
}

/** The countries whose name (any language), or code, contains the text: best matches first. */
export function matchingCountries(text: string): Country[] {
  const query = fold(text);
  if (!query) return countries();
  return countries()
    .map((country) => ({ country, rank: rank(country, query) }))
    .filter((match): match is { country: Country; rank: number } => match.rank !== null)
    .sort((a, b) => a.rank - b.rank)
    .map((match) => match.country);
}

/**
 * The one country the text names: its code or a name in full (any case or accents), else the
 * only country matching it. Null when it names none, or several.
 */
export function countryNamed(text: string): Country | null {
  const query = fold(text);
  if (!query) return null;
  const exact = countries().find(
    (c) => c.code.toLowerCase() === query || c.folded === query || c.foldedAliases.includes(query),
  );
  if (exact) return exact;
  const found = matchingCountries(text);
  return found.length === 1 ? found[0] : null;
}
