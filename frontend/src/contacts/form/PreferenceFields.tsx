import type { FieldErrors } from "../../lib/format";
import { CHANNELS, type Channel } from "./preferences";

const LABELS: Record<Channel, string> = { email: "Email", sms: "SMS", phone: "Phone", post: "Post" };

/** The "Communication preferences" part of the contact form: one box a channel. */
export function PreferenceFields({
  shown,
  onChoose,
  errors,
  smsEnabled,
}: {
  /** What each box shows: the user's choice, else the server's rule. */
  shown: (channel: Channel) => boolean;
  onChoose: (channel: Channel, value: boolean) => void;
  errors: FieldErrors;
  smsEnabled: boolean;
}) {
  return (
    <fieldset className="card">
      <legend>Communication preferences</legend>
      <p className="hint" style={{ marginBottom: "0.75rem" }}>
        Automatic messages are sent only on the ticked channels. Filling in an email, phone
        or address ticks its channel unless you have chosen.
      </p>
      <div className="checkbox-row">
        {CHANNELS.filter((channel) => channel !== "sms" || smsEnabled).map((channel) => (
          <label className="check" key={channel}>
            <input
              type="checkbox"
              checked={shown(channel)}
              onChange={(e) => onChoose(channel, e.target.checked)}
            />
            {LABELS[channel]}
          </label>
        ))}
      </div>
      {CHANNELS.map((channel) =>
        errors[`preferences.${channel}`] ? (
          <p className="field-error" key={channel}>
            {errors[`preferences.${channel}`]}
          </p>
        ) : null,
      )}
    </fieldset>
  );
}
