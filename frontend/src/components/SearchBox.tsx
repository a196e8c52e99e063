import { useEffect, useId, useRef, useState } from "react";

/** A search field that reports what was typed after a short pause. */
export function SearchBox({
  value,
  onSearch,
  label,
  placeholder,
  delay = 250,
}: {
  value: string;
  onSearch: (value: string) => void;
  label: string;
  placeholder?: string;
  delay?: number;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  const report = useRef(onSearch);
  useEffect(() => {
    report.current = onSearch;
  });
  // The URL changed under us (Back, a link): show what it says.
  if (value !== shown) {
    setShown(value);
    if (value !== text.trim()) setText(value);
  }
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const flush = () => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    report.current(text.trim());
  };
  return (
    <div className="search-box">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => {
            timer.current = undefined;
            report.current(next.trim());
          }, delay);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") flush();
        }}
        // Leaving the box (to click a result, say) reports the search at once: reported
        // later, it would take the page back to the list from wherever the click went.
        onBlur={() => {
          if (timer.current !== undefined) flush();
        }}
      />
    </div>
  );
}
