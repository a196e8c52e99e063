import { useEffect, useState } from "react";

/**
 * The text typed (trimmed), once the typing pauses for `delay` ms: what a search as one types
 * asks for. Until then it is the text of the last pause, so a caller compares it with the text
 * now in the box before trusting an answer.
 */
export function useSettled(text: string, delay = 200): string {
  const [settled, setSettled] = useState(() => text.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(text.trim()), delay);
    return () => window.clearTimeout(timer);
  }, [text, delay]);
  return settled;
}
