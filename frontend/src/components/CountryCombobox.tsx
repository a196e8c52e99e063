import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { countryNamed, fold, matchingCountries, type Country } from "../lib/countries";
import { countryName } from "../lib/format";
import { useHighlight } from "./useHighlight";

/**
 * A country found by typing part of its name (in English or another language, accents
 * ignored) or its code, valued by its ISO 3166 code ("" for none). The box shows the name;
 * a code the list does not have (saved before) still shows as it is. Leaving the box with
 * text that names one country chooses it; text naming none or several puts the value back.
 */
export function CountryCombobox({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  clearable = true,
  autoFill = false,
  autoFocus,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  invalid?: boolean;
  describedBy?: string;
  /** Offers a button that empties the field (optional fields). */
  clearable?: boolean;
  /** Lets the browser fill in the person's own country (the portal). */
  autoFill?: boolean;
  autoFocus?: boolean;
}) {
  const uid = useId();
  const listId = `${uid}-list`;
  const optionId = (index: number) => `${uid}-option-${index}`;
  // What is typed; null while the box shows the chosen country's name.
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const options = matchingCountries(text ?? "");
  const { highlighted, highlightedId, setHighlighted, step: stepHighlight, hover } = useHighlight(
    options.length,
    optionId,
    open,
  );
  const shown = text ?? (value ? countryName(value) : "");

  // Escape closes the open list only: caught before a surrounding dialog (which listens on
  // the document while capturing) would close itself.
  useEffect(() => {
    if (!open) return;
    const closeList = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      setOpen(false);
    };
    window.addEventListener("keydown", closeList, true);
    return () => window.removeEventListener("keydown", closeList, true);
  }, [open]);

  function choose(country: Country | null) {
    const code = country?.code ?? "";
    if (code !== value) onChange(code);
    setText(null);
    setOpen(false);
  }

  /** Leaving or confirming typed text: the country it names, nothing if emptied, else as was. */
  function settle(): boolean {
    if (text === null) return false;
    if (!text.trim()) {
      choose(null);
      return true;
    }
    const named = countryNamed(text);
    if (named) choose(named);
    else setText(null);
    return named !== null;
  }

  function openAt(step: number) {
    if (!open) {
      const current = options.findIndex((c) => c.code === value);
      setHighlighted(text === null && current >= 0 ? current : 0);
      setOpen(true);
      return;
    }
    stepHighlight(step);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      openAt(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      // Enter picks a country rather than submitting the form with the old one.
      if (open && options[highlighted]) {
        event.preventDefault();
        choose(options[highlighted]);
      } else if (text !== null) {
        event.preventDefault();
        if (!settle()) setOpen(true);
      }
    } else if (event.key === "Escape" && text !== null) {
      // (An open list was closed by the Escape listener above.)
      event.preventDefault();
      setText(null);
    }
  }

  return (
    <div className="combobox country-combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete={autoFill ? "country-name" : "off"}
        autoFocus={autoFocus}
        placeholder="Type a country…"
        value={shown}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={highlightedId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setText(e.target.value);
          setHighlighted(0);
          setOpen(true);
        }}
        onClick={() => (open ? setOpen(false) : openAt(0))}
        onBlur={() => {
          settle();
          setOpen(false);
        }}
        onKeyDown={onKeyDown}
      />
      {clearable && value && text === null && (
        <button
          type="button"
          className="combobox-clear"
          aria-label={`Clear ${countryName(value)}`}
          onClick={() => choose(null)}
        >
          <span aria-hidden="true">×</span>
        </button>
      )}
      {open && (
        <ul className="combobox-list" id={listId} role="listbox" aria-label="Countries">
          {options.map((country, index) => (
            <li
              key={country.code}
              id={optionId(index)}
              role="option"
              aria-selected={index === highlighted}
              className="combobox-option"
              // Keeps the focus in the input, which a click would take away.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(country)}
              {...hover(index)}
            >
              {country.name}
              <span className="subtle"> · {aliasFor(country, text)}</span>
            </li>
          ))}
          {options.length === 0 && (
            <li className="combobox-empty" role="presentation">
              No country matches “{text}”.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/** The code, and the other-language name the text found the country by (if that is how). */
function aliasFor(country: Country, text: string | null): string {
  const query = fold(text ?? "");
  const at = query && !country.folded.includes(query) ? country.foldedAliases.findIndex((a) => a.includes(query)) : -1;
  return at >= 0 ? `${country.aliases[at]} · ${country.code}` : country.code;
}
