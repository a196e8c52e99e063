import { useEffect, useState } from "react";

/**
 * The highlighted option of a combobox's list, moved by the keyboard and the mouse alike:
 * ArrowUp/Down step it (within the list), and moving the pointer over an option takes it
 * there. The highlighted option is scrolled into view.
 */
export function useHighlight(count: number, optionId: (index: number) => string, shown = true) {
  const [active, setActive] = useState(0);
  const highlighted = Math.min(active, count - 1);
  const highlightedId = shown && highlighted >= 0 ? optionId(highlighted) : undefined;

  useEffect(() => {
    if (highlightedId) document.getElementById(highlightedId)?.scrollIntoView({ block: "nearest" });
  }, [highlightedId]);

  return {
    highlighted,
    highlightedId,
    setHighlighted: setActive,
    step: (by: number) => setActive(Math.max(0, Math.min(count - 1, highlighted + by))),
    /** An option's mouse handler: moving, not entering, so a list opening under a still
     * pointer keeps the keyboard's pick, and a pointer resting on an option can take it back. */
    hover: (index: number) => ({ onMouseMove: () => index !== highlighted && setActive(index) }),
  };
}
