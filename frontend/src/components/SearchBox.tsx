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
          timer.current = window.setTimeout(() => report.current(next.trim()), delay);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            window.clearTimeout(timer.current);
            report.current(text.trim());
          }
        }}
      />
    </div>
  );
}
