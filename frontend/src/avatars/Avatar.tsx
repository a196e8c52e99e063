import "./avatars.css";

/** Up to two letters for a name: "Ada Lovelace" → "AL". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => [...word][0]?.toUpperCase() ?? "").join("") || "?";
}

/** A contact's picture in a circle, or their initials when they have none. Decorative: the name is beside it. */
export function Avatar({
  name,
  url,
  size = "small",
}: {
  name: string;
  url: string | null | undefined;
  size?: "small" | "medium" | "large";
}) {
  const className = `avatar avatar-${size}`;
  if (url) return <img className={className} src={url} alt="" loading="lazy" decoding="async" />;
  // Drawn by CSS from the attribute: the initials are not text of the row (a name cell's
  // text stays the name, for copying and for anything reading the page).
  return <span className={`${className} avatar-initials`} aria-hidden="true" data-initials={initials(name)} />;
}
