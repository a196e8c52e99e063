import { lazy, Suspense, useCallback, useLayoutEffect, useState, type ReactNode } from "react";
import "./search-button.css";

// The palette (its queries, Radix's dialog) loads the first time it opens: the first load
// carries only this listener and the button.
const SearchPalette = lazy(() => import("./SearchPalette"));

const APPLE = /Mac|iPhone|iPad/.test(navigator.userAgent);
/** The shortcut as the keyboard at hand writes it. */
const SHORTCUT = APPLE ? "⌘K" : "Ctrl K";

const BUTTON_LIKE_INPUTS = new Set(["button", "checkbox", "radio", "submit", "reset", "file", "color", "range", "image"]);

/** Where a typed "/" is text or picks an item, not a shortcut. */
function takesTyping(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (element.isContentEditable) return true;
  if (element.closest("textarea, select, [role=combobox], [role=textbox], [role=listbox]")) return true;
  return element instanceof HTMLInputElement && !BUTTON_LIKE_INPUTS.has(element.type);
}

/** Another dialog or an open menu holds the focus: the search does not open over it. */
function inOtherOverlay(element: Element | null): boolean {
  return element?.closest("[role=dialog]:not([data-global-search]), [role=alertdialog], [role=menu]") != null;
}

/** Ctrl+K or Cmd+K anywhere, "/" outside text fields. */
function asksForSearch(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing || event.altKey) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (inOtherOverlay(target)) return false;
  if (event.ctrlKey || event.metaKey) return event.key.toLowerCase() === "k" && !event.shiftKey;
  return event.key === "/" && !takesTyping(target);
}

/**
 * The global search of the staff app: a button (`button`, shown in the sidebar and in the
 * phone's top bar) and the palette it opens (`palette`), also opened by Ctrl+K / Cmd+K and by
 * "/" outside text fields. Closed, the focus goes back where it was.
 */
export function useGlobalSearch(): { button: ReactNode; palette: ReactNode } {
  // Null while closed; open, the element the focus goes back to.
  const [openedFrom, setOpenedFrom] = useState<{ focus: HTMLElement | null } | null>(null);
  const show = useCallback(() => {
    setOpenedFrom((now) => now ?? { focus: document.activeElement instanceof HTMLElement ? document.activeElement : null });
  }, []);
  // Attached before the browser paints the layout (an effect would run after, losing a key
  // pressed the instant the navigation shows).
  useLayoutEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!asksForSearch(event)) return;
      event.preventDefault();
      show();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [show]);

  const button = (
    <button
      type="button"
      className="search-button"
      aria-label="Search"
      aria-haspopup="dialog"
      aria-expanded={openedFrom !== null}
      aria-keyshortcuts="Control+K Meta+K /"
      onClick={show}
    >
      <span className="search-button-label">Search</span>
      <kbd className="search-button-keys">{SHORTCUT}</kbd>
    </button>
  );
  const palette = openedFrom && (
    <Suspense fallback={null}>
      <SearchPalette returnFocusTo={openedFrom.focus} onClose={() => setOpenedFrom(null)} />
    </Suspense>
  );
  return { button, palette };
}
