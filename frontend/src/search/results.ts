import { companyPath, contactPath, groupPath, productPath, segmentPath } from "../lib/format";
import type { GlobalSearchQuery } from "./search.generated";

/** One line of the results: `index` is its place among all of them (the arrow keys' order). */
export type Hit = { key: string; index: number; label: string; detail: string | null; to: string; seeAll?: boolean };
export type HitGroup = { kind: string; heading: string; hits: Hit[] };

type Draft = Omit<Hit, "index">;

const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(" · ") || null;
const plural = (count: number, one: string) => `${count.toLocaleString()} ${one}${count === 1 ? "" : "s"}`;

/** The link under the contacts that opens the contacts list searched for the same text. */
function seeAllContacts(q: string, count: number, estimate: boolean): Draft {
  const matching = `matching “${q}”`;
  return {
    key: "contacts-all",
    label:
      count === 1 ? `See the contact ${matching} in the list` : `See all ${estimate ? "about " : ""}${plural(count, "contact")} ${matching}`,
    detail: null,
    to: `/contacts?${new URLSearchParams({ q })}`,
    seeAll: true,
  };
}

function contactHits({ contacts }: GlobalSearchQuery, q: string): Draft[] {
  const found = contacts.edges.map(({ node }): Draft => ({
    key: `contact-${node.id}`,
    label: node.fullName,
    detail: joined(node.email, node.company?.name),
    to: contactPath(node.id),
  }));
  if (found.length === 0) return [];
  return [...found, seeAllContacts(q, contacts.totalCount, contacts.totalCountIsEstimate)];
}

/**
 * The answer as groups of lines, by kind (contacts, companies, groups, segments, products),
 * kinds with nothing found left out.
 */
export function hitGroups(data: GlobalSearchQuery, q: string): HitGroup[] {
  const drafts: [kind: string, heading: string, hits: Draft[]][] = [
    ["contacts", "Contacts", contactHits(data, q)],
    [
      "companies",
      "Companies",
      data.companies.edges.map(({ node }) => ({
        key: `company-${node.id}`,
        label: node.name,
        detail: node.address?.city || null,
        to: companyPath(node.id),
      })),
    ],
    [
      "groups",
      "Groups",
      data.groups.edges.map(({ node }) => ({
        key: `group-${node.id}`,
        label: node.name,
        detail: plural(node.memberCount, "member"),
        to: groupPath(node.id),
      })),
    ],
    [
      "segments",
      "Segments",
      // No count: a segment counts its contacts by running its filter, too slow for each keystroke.
      data.segments.edges.map(({ node }) => ({ key: `segment-${node.id}`, label: node.name, detail: null, to: segmentPath(node.id) })),
    ],
    [
      "products",
      "Products",
      data.products.edges.map(({ node }) => ({
        key: `product-${node.id}`,
        label: node.name,
        detail: joined(node.code, node.archived && "archived"),
        to: productPath(node.id),
      })),
    ],
  ];
  let index = 0;
  return drafts
    .filter(([, , hits]) => hits.length > 0)
    .map(([kind, heading, hits]) => ({ kind, heading, hits: hits.map((hit) => ({ ...hit, index: index++ })) }));
}
