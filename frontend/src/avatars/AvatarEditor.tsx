import { useEffect, useId, useMemo, useState, type ChangeEvent, type DragEvent } from "react";
import { Avatar } from "./Avatar";
import { AVATAR_TYPES } from "./upload";

/** A local preview of a picked file, released when it is no longer shown. */
function usePreview(file: File | null): string | null {
  const url = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  return url;
}

/**
 * A contact's avatar: the picture (or initials), a file picker and a drop zone to replace
 * it, and Remove. `save` and `remove` resolve to the problem, or null when done; the
 * picked file shows as a preview while it is sent.
 */
export function AvatarEditor({
  name,
  url,
  save,
  remove,
  pending = null,
}: {
  name: string;
  url: string | null | undefined;
  save: (file: File) => Promise<string | null>;
  remove: () => Promise<string | null>;
  /** A picked file not sent yet (a new contact's), previewed as the avatar. */
  pending?: File | null;
}) {
  const inputId = useId();
  const [sending, setSending] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const preview = usePreview(sending ?? pending);
  const busy = sending !== null;
  const shown = preview ?? url;

  async function send(file: File) {
    setProblem(null);
    setSending(file);
    const refused = await save(file);
    setSending(null);
    setProblem(refused);
  }

  async function erase() {
    setProblem(null);
    setSending(null);
    setProblem(await remove());
  }

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void send(file);
  };
  const dropped = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) void send(file);
  };

  return (
    <div className="avatar-editor">
      <Avatar name={name} url={shown} size="large" />
      <div
        className={`avatar-drop${dragging ? " is-dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={dropped}
      >
        <p className="hint">
          Drop a picture here, or choose one: JPEG, PNG, WebP or GIF, at most 5 MB. It is cropped to a square.
        </p>
        <div className="avatar-buttons">
          <label className="button button-small" htmlFor={inputId} aria-disabled={busy}>
            {busy ? "Uploading…" : shown ? "Replace picture…" : "Choose a picture…"}
          </label>
          <input
            id={inputId}
            className="visually-hidden"
            type="file"
            accept={AVATAR_TYPES}
            disabled={busy}
            onChange={picked}
          />
          {shown && !busy && (
            <button type="button" className="button button-small" onClick={() => void erase()}>
              Remove
            </button>
          )}
        </div>
        <div aria-live="polite">
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
