import { Link } from "react-router";
import { Badge } from "../components/ui";
import { Swatch } from "../groups/Swatch";
import {
  CHANNELS,
  CONSENT_SOURCES,
  PHONE_TYPES,
  addressLines,
  countryName,
  formatDateTime,
  groupPath,
} from "../lib/format";
import { useAppSettings } from "../lib/settings";
import type { ContactDetail } from "./ContactPage";

/** The contact page's "Phone and address": phones, address, preferences and consent history. */
export function ContactReach({ contact }: { contact: ContactDetail }) {
  const settings = useAppSettings();
  const lines = addressLines(contact.address);
  const prefs = contact.preferences;
  const channels = [
    prefs.email && "Email",
    settings?.smsEnabled && prefs.sms && "SMS",
    prefs.phone && "Phone",
    prefs.post && "Post",
  ].filter(Boolean);
  const consents = prefs.consents.filter(
    (c) => c.changedAt && (c.channel !== "SMS" || settings?.smsEnabled),
  );
  return (
    <section className="card" aria-labelledby="contact-reach">
      <h2 id="contact-reach">Phone and address</h2>
      <dl className="details">
        <dt>Phones</dt>
        <dd>
          {contact.phones.length === 0 ? (
            "—"
          ) : (
            <ul className="plain-list">
              {contact.phones.map((p) => (
                <li key={p.id}>
                  <a href={`tel:${p.international.replace(/\s/g, "")}`}>{p.international}</a>{" "}
                  <span className="subtle">
                    {PHONE_TYPES[p.type]} · {countryName(p.country)}
                  </span>
                  {p.isPrimary && (
                    <>
                      {" "}
                      <Badge>Primary</Badge>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Address</dt>
        <dd>
          {lines.length ? (
            <address style={{ fontStyle: "normal" }}>
              {lines.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </address>
          ) : (
            "—"
          )}
        </dd>
        <dt>Preferences</dt>
        <dd>
          {channels.length ? channels.join(", ") : "No automatic messages"}
          {consents.length > 0 && (
            <ul className="plain-list consent-list" aria-label="Consent history">
              {consents.map((c) => (
                <li key={c.channel} className="subtle">
                  {CHANNELS[c.channel]}: {c.granted ? "given" : "withdrawn"} {formatDateTime(c.changedAt)}
                  {c.source && <> by {CONSENT_SOURCES[c.source]}</>}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}

type GroupRef = { id: string; name: string; colour?: string | null };

/** The contact page's groups: each a chip to open it or leave it, and "Add to group…". */
export function ContactGroups({
  groups,
  busy,
  onAdd,
  onRemove,
}: {
  groups: readonly GroupRef[];
  busy: boolean;
  onAdd: () => void;
  onRemove: (group: GroupRef) => void;
}) {
  return (
    <section className="card wide-region" aria-labelledby="contact-groups">
      <div className="section-head">
        <h2 id="contact-groups">Groups</h2>
        <button type="button" className="button button-small" onClick={onAdd}>
          Add to group…
        </button>
      </div>
      {groups.length === 0 ? (
        <p className="subtle">Not in any group.</p>
      ) : (
        <ul className="chips" aria-label="Groups of this contact">
          {groups.map((g) => (
            <li key={g.id} className="chip">
              <Link className="chip-edit" to={groupPath(g.id)}>
                <Swatch colour={g.colour} />
                {g.name}
              </Link>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove from group ${g.name}`}
                disabled={busy}
                onClick={() => onRemove(g)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
