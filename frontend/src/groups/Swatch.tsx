/** A group's colour as a small square; an outline when it has none. */
export function Swatch({ colour }: { colour?: string | null }) {
  return (
    <span
      className={`swatch${colour ? "" : " swatch-none"}`}
      style={colour ? { background: colour } : undefined}
      aria-hidden="true"
    />
  );
}
