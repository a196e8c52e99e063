import type { Chip } from "./filters";

/** The active filters as chips; read-only when there is no `onEdit`. */
export function FilterChips({
  chips,
  onEdit,
  onRemove,
  label = "Active filters",
}: {
  chips: Chip[];
  onEdit?: (chip: Chip) => void;
  onRemove?: (chip: Chip) => void;
  label?: string;
}) {
  if (chips.length === 0) return null;
  return (
    <ul className="chips" aria-label={label}>
      {chips.map((chip) => (
        <li key={chip.key} className="chip">
          {onEdit ? (
            <button
              type="button"
              className="chip-edit"
              aria-label={`Change filter ${chip.name}: ${chip.value}`}
              onClick={() => onEdit(chip)}
            >
              <span className="chip-name">{chip.name}:</span> {chip.value}
            </button>
          ) : (
            <span className="chip-text">
              <span className="chip-name">{chip.name}:</span> {chip.value}
            </span>
          )}
          {onRemove && (
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove filter ${chip.name}: ${chip.value}`}
              onClick={() => onRemove(chip)}
            >
              <span aria-hidden="true">×</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
