import * as Dialog from "@radix-ui/react-dialog";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { useNavigate } from "react-router";
import { useQuery } from "urql";
import { useHighlight } from "../components/useHighlight";
import { ALL_CONTEXT } from "../lib/client";
import { useSettled } from "../lib/useSettled";
import { hitGroups, type Hit } from "./results";
import { GlobalSearchDocument } from "./search.generated";
import "./search.css";

// One letter cannot use the search index and matches most of a large list: counting them took
// 1.5-3 s on SQLite with 200,000 contacts (two letters: under 0.35 s).
const MIN_LENGTH = 2;

const NAMES = "contacts, companies, groups, segments and products";

/** What the line under the box says when there is no result to show. */
function statusText(text: string, answered: boolean, failed: boolean): string {
  const typed = text.trim();
  if (typed.length === 0) return `Type a name, an email, a city or a code to find ${NAMES}.`;
  if (typed.length < MIN_LENGTH) return `Type at least ${MIN_LENGTH} characters.`;
  if (failed) return "The search failed. Try again in a moment.";
  if (!answered) return "Searching…";
  return `Nothing matches “${typed}”.`;
}

/** What a screen reader hears when results arrive: the records found. */
function resultCount(hits: Hit[]): string {
  const records = hits.filter((hit) => !hit.seeAll).length;
  return `${records} result${records === 1 ? "" : "s"}`;
}

/**
 * The global search's dialog: a box, and as the typing pauses the first few matches of each
 * kind, grouped. ArrowUp/Down move across all of them, Enter opens the one highlighted, Escape
 * closes. Closed without opening anything, the focus goes back to `returnFocusTo`.
 */
export default function SearchPalette({ returnFocusTo, onClose }: { returnFocusTo: HTMLElement | null; onClose: () => void }) {
  const uid = useId();
  const listId = `${uid}-results`;
  const optionId = (index: number) => `${uid}-hit-${index}`;
  const navigate = useNavigate();
  const opened = useRef(false);
  const [text, setText] = useState("");
  const settled = useSettled(text);
  const asked = settled.length >= MIN_LENGTH;
  const [{ data, error, operation }] = useQuery({
    query: GlobalSearchDocument,
    variables: { q: settled },
    pause: !asked,
    requestPolicy: "cache-and-network",
    context: ALL_CONTEXT,
  });
  // Only the answer for the text in the box is shown: Enter pressed just after a keystroke
  // must not open what the text before it found.
  const answered = asked && text.trim() === settled && data !== undefined && operation?.variables.q === settled;
  const failed = asked && error !== undefined && operation?.variables.q === settled;
  const groups = answered ? hitGroups(data, settled) : [];
  const hits = groups.flatMap((group) => group.hits);
  const { highlighted, highlightedId, setHighlighted, step, hover } = useHighlight(hits.length, optionId);

  function open(hit: Hit) {
    opened.current = true;
    navigate(hit.to);
    onClose();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      step(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (hits[highlighted]) open(hits[highlighted]);
    }
  }

  return (
    <Dialog.Root open onOpenChange={(isOpen) => !isOpen && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="search-palette"
          data-global-search=""
          aria-describedby={undefined}
          onCloseAutoFocus={(event) => {
            // Radix would focus a trigger; there is none (a shortcut may have opened it).
            event.preventDefault();
            const next = opened.current ? document.querySelector<HTMLElement>("main") : returnFocusTo;
            if (next?.isConnected) next.focus();
          }}
        >
          <Dialog.Title className="visually-hidden">Search</Dialog.Title>
          <div className="search-field">
            <input
              type="text"
              role="combobox"
              autoComplete="off"
              spellCheck={false}
              aria-label={`Search ${NAMES}`}
              placeholder="Search contacts, companies, groups…"
              value={text}
              aria-expanded={hits.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={highlightedId}
              onChange={(e) => {
                setText(e.target.value);
                setHighlighted(0);
              }}
              onKeyDown={onKeyDown}
            />
            <Dialog.Close asChild>
              <button type="button" className="button button-quiet search-close">
                Close
              </button>
            </Dialog.Close>
          </div>
          <div id={listId} role="listbox" aria-label="Results" className="search-results">
            {groups.map((group) => (
              <div key={group.kind} role="group" aria-labelledby={`${uid}-${group.kind}`} className="search-group">
                <div id={`${uid}-${group.kind}`} role="presentation" className="search-group-heading">
                  {group.heading}
                </div>
                {group.hits.map((hit) => (
                  <div
                    key={hit.key}
                    id={optionId(hit.index)}
                    role="option"
                    aria-selected={hit.index === highlighted}
                    className={`search-hit${hit.seeAll ? " search-hit-all" : ""}`}
                    // Keeps the focus in the box, which a click would take away.
                    onMouseDown={(e) => e.preventDefault()}
                    {...hover(hit.index)}
                    onClick={() => open(hit)}
                  >
                    <span className="search-hit-label">{hit.label}</span>
                    {hit.detail && <span className="search-hit-detail">{hit.detail}</span>}
                  </div>
                ))}
              </div>
            ))}
          </div>
          <p className={hits.length > 0 ? "visually-hidden" : "search-status"} role="status">
            {hits.length > 0 ? resultCount(hits) : statusText(text, answered, failed)}
          </p>
          <p className="search-keys" aria-hidden="true">
            <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
          </p>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
