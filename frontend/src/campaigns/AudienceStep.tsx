import { useId, useState } from "react";
import { useMutation, useQuery } from "urql";
import { SearchBox } from "../components/SearchBox";
import { NoticeBar, type Notice } from "../components/ui";
import { errorKey, plural } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { AudienceCounts } from "./AudienceCounts";
import {
  AddPastedRecipientsDocument,
  CampaignAudienceOptionsDocument,
  SetCampaignAudienceDocument,
  type CampaignFieldsFragment,
} from "./campaigns.generated";
import { ContactSelect, type ContactRef } from "./ContactSelect";
import { CAMPAIGN_CONTEXT } from "./labels";

type Parts = { groupIds: string[]; segmentIds: string[]; contacts: ContactRef[] };

function partsOf(campaign: CampaignFieldsFragment): Parts {
  const { audience } = campaign;
  return {
    groupIds: audience.groups.map((g) => g.id),
    segmentIds: audience.segments.map((s) => s.id),
    contacts: audience.contacts,
  };
}

function toggled(ids: string[], id: string, on: boolean): string[] {
  return on ? [...ids, id] : ids.filter((other) => other !== id);
}

/**
 * Who receives the campaign: groups, segments (evaluated when it is sent), contacts one by
 * one and pasted lists. Each change is saved at once; the counts below follow.
 */
export function AudienceStep({
  campaign,
  onBack,
  onNext,
}: {
  campaign: CampaignFieldsFragment;
  onBack: () => void;
  onNext: () => void;
}) {
  // What this page chose: the server has it too, once each change's request returns.
  const [parts, setParts] = useState<Parts>(() => partsOf(campaign));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [, setAudience] = useMutation(SetCampaignAudienceDocument);

  async function change(next: Partial<Parts>) {
    const before = parts;
    setParts({ ...parts, ...next });
    setNotice(null);
    const input = {
      campaignId: campaign.id,
      groupIds: next.groupIds,
      segmentIds: next.segmentIds,
      contactIds: next.contacts?.map((c) => c.id),
    };
    const result = await setAudience({ input }, CAMPAIGN_CONTEXT);
    const payload = result.data?.setCampaignAudience;
    const problem = mutationProblem(result, payload, "Could not change the recipients.");
    if (problem) {
      setParts(before);
      setNotice({ tone: "error", text: problem });
    }
  }

  return (
    <div className="audience">
      <NoticeBar notice={notice} />
      <div className="audience-grid">
        <GroupsAndSegments parts={parts} onChange={(next) => void change(next)} />
        <SingleContacts
          contacts={parts.contacts}
          onChange={(contacts) => void change({ contacts })}
        />
        <PasteBox
          campaignId={campaign.id}
          onAdded={(contacts, text) => {
            setParts((p) => ({ ...p, contacts }));
            setNotice({ tone: "ok", text });
          }}
        />
      </div>
      <AudienceCounts campaignId={campaign.id} />
      <div className="form-actions step-actions">
        <button type="button" className="button" onClick={onBack}>
          ← Back: write
        </button>
        <button type="button" className="button button-primary" onClick={onNext}>
          Next: check and send →
        </button>
      </div>
    </div>
  );
}

function GroupsAndSegments({ parts, onChange }: { parts: Parts; onChange: (next: Partial<Parts>) => void }) {
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: CampaignAudienceOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: CAMPAIGN_CONTEXT,
  });
  const many = (data?.groups.totalCount ?? 0) > 100 || (data?.segments.totalCount ?? 0) > 100;
  const groups = data?.groups.edges.map((e) => e.node) ?? [];
  const segments = data?.segments.edges.map((e) => e.node) ?? [];
  return (
    <>
      {(many || search) && (
        <div className="audience-search">
          <SearchBox
            label="Find groups and segments"
            placeholder="Find groups and segments…"
            value={search}
            onSearch={setSearch}
          />
        </div>
      )}
      <fieldset className="card audience-part">
        <legend>Groups</legend>
        {data && groups.length === 0 ? (
          <p className="subtle">{search ? "No groups match." : "No groups yet."}</p>
        ) : (
          <div className="choice-list audience-choices">
            {groups.map((group) => (
              <label key={group.id} className="choice">
                <input
                  type="checkbox"
                  checked={parts.groupIds.includes(group.id)}
                  onChange={(e) =>
                    onChange({ groupIds: toggled(parts.groupIds, group.id, e.target.checked) })
                  }
                />
                <span>
                  <span className="choice-label">{group.name}</span>
                  <span className="subtle">{plural(group.memberCount, "member")}</span>
                </span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="card audience-part">
        <legend>Segments</legend>
        <p className="hint fieldset-hint">A segment’s contacts are taken when the campaign is sent.</p>
        {data && segments.length === 0 ? (
          <p className="subtle">{search ? "No segments match." : "No segments yet."}</p>
        ) : (
          <div className="choice-list audience-choices">
            {segments.map((segment) => (
              <label key={segment.id} className="choice">
                <input
                  type="checkbox"
                  checked={parts.segmentIds.includes(segment.id)}
                  onChange={(e) =>
                    onChange({ segmentIds: toggled(parts.segmentIds, segment.id, e.target.checked) })
                  }
                />
                <span>
                  <span className="choice-label">{segment.name}</span>
                  <span className="subtle">{plural(segment.count, "contact")} now</span>
                </span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
    </>
  );
}

function SingleContacts({
  contacts,
  onChange,
}: {
  contacts: ContactRef[];
  onChange: (contacts: ContactRef[]) => void;
}) {
  const headingId = useId();
  const [chosen, setChosen] = useState<ContactRef | null>(null);
  const already = chosen !== null && contacts.some((c) => c.id === chosen.id);
  return (
    <section className="card audience-part" aria-labelledby={headingId}>
      <h3 id={headingId}>Single contacts</h3>
      {contacts.length > 0 ? (
        <ul className="plain-list audience-contacts" aria-label="Chosen contacts">
          {contacts.map((contact) => (
            <li key={contact.id}>
              <span className="audience-contact">
                {contact.fullName}
                <span className="subtle"> {contact.email ?? "(no email)"}</span>
              </span>
              <button
                type="button"
                className="button button-quiet button-small"
                aria-label={`Remove ${contact.fullName}`}
                onClick={() => onChange(contacts.filter((c) => c.id !== contact.id))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="subtle">None chosen one by one.</p>
      )}
      <ContactSelect label="Add a contact" value={chosen} onChange={setChosen} blank="Choose a contact…" />
      <button
        type="button"
        className="button button-small"
        disabled={!chosen || already}
        onClick={() => {
          if (chosen) onChange([...contacts, chosen]);
          setChosen(null);
        }}
      >
        {already ? "Already chosen" : "Add contact"}
      </button>
    </section>
  );
}

/** The pasted line an error names ("text.12": 12), or null for an error about something else. */
function lineNumber(field: readonly string[] | null | undefined): number | null {
  const [what, line] = errorKey(field).split(".");
  return what === "text" && line ? Number(line) : null;
}

const SHOWN_BAD_LINES = 50;

function PasteBox({
  campaignId,
  onAdded,
}: {
  campaignId: string;
  onAdded: (contacts: ContactRef[], summary: string) => void;
}) {
  const uid = useId();
  const [text, setText] = useState("");
  const [consented, setConsented] = useState(false);
  const [badLines, setBadLines] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, paste] = useMutation(AddPastedRecipientsDocument);

  async function add() {
    setProblem(null);
    setBadLines([]);
    const result = await paste({ input: { campaignId, text, consented } }, CAMPAIGN_CONTEXT);
    const payload = result.data?.addPastedRecipients;
    if (!payload?.campaign) {
      setProblem(mutationProblem(result, payload, "Could not add the list.") ?? "Could not add the list.");
      return;
    }
    const lines = payload.errors.filter((e) => lineNumber(e.field) !== null);
    const others = payload.errors.filter((e) => lineNumber(e.field) === null);
    if (others.length) setProblem(others.map((e) => e.message).join(" "));
    const byLine = [...lines].sort((a, b) => (lineNumber(a.field) ?? 0) - (lineNumber(b.field) ?? 0));
    setBadLines(byLine.map((e) => e.message));
    if (!lines.length && !others.length) setText("");
    const added = payload.created + payload.matched;
    onAdded(
      payload.campaign.audience.contacts,
      `Added ${plural(added, "person", "people")} from the list: ${payload.created} new ${
        payload.created === 1 ? "contact" : "contacts"
      } created, ${payload.matched} matched by email.${
        lines.length ? ` ${plural(lines.length, "line was", "lines were")} not added (see below).` : ""
      }`,
    );
  }

  const textId = `${uid}-text`;
  return (
    <section className="card audience-part audience-paste" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>Paste a list</h3>
      <div className="field">
        <label htmlFor={textId}>One person a line: email, first name, last name</label>
        <textarea
          id={textId}
          rows={6}
          value={text}
          placeholder={"ada@example.com, Ada, Lovelace\ngrace@example.com; Grace; Hopper"}
          aria-describedby={`${textId}-hint`}
          onChange={(e) => setText(e.target.value)}
        />
        <p className="hint" id={`${textId}-hint`}>
          Commas, semicolons or tabs (as copied from a spreadsheet). People already in the CRM are matched by
          email; the others become new contacts.
        </p>
      </div>
      <label className="check consent-check">
        <input type="checkbox" checked={consented} onChange={(e) => setConsented(e.target.checked)} />
        These people agreed to receive email from us
      </label>
      <p className="hint">
        Unticked, new contacts get no email consent and will be skipped. Contacts already in the CRM keep what
        they chose.
      </p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {badLines.length > 0 && (
        <div className="notice notice-error bad-lines" role="alert">
          <strong>{plural(badLines.length, "line was", "lines were")} not added:</strong>
          <ul>
            {badLines.slice(0, SHOWN_BAD_LINES).map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
          {badLines.length > SHOWN_BAD_LINES && <p>…and {badLines.length - SHOWN_BAD_LINES} more.</p>}
        </div>
      )}
      <button type="button" className="button" disabled={fetching || !text.trim()} onClick={() => void add()}>
        {fetching ? "Adding…" : "Add these people"}
      </button>
    </section>
  );
}
