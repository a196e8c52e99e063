import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActionsMenu, type MenuAction } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { AddToGroupDialog, Swatch } from "../components/GroupDialogs";
import { PortalBox } from "../components/PortalBox";
import { Badge, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import {
  CHANNELS,
  CONSENT_SOURCES,
  CONTACT_STATUSES,
  CONTACT_TYPES,
  PHONE_TYPES,
  TITLES,
  companyPath,
  countryName,
  formatDateTime,
  groupPath,
} from "../lib/format";
import { RemoveContactsFromGroup } from "../lib/groups";
import { useAppSettings } from "../lib/settings";
import {
  ArchiveContact,
  DeleteContact,
  RestoreContact,
  SetPrimaryContact,
} from "../lib/mutations";

const ContactDetail = graphql(`
  query ContactDetail($id: ID!) {
    contact(id: $id) {
      id
      title
      firstName
      lastName
      fullName
      type
      status
      email
      jobTitle
      archived
      isPrimaryContact
      createdAt
      updatedAt
      lastContactedAt
      company {
        id
        name
      }
      phones {
        id
        type
        international
        country
        isPrimary
      }
      address {
        line1
        line2
        city
        region
        postalCode
        country
      }
      preferences {
        email
        sms
        phone
        post
        consents {
          channel
          granted
          changedAt
          source
        }
      }
      portal {
        ...PortalAccessFields
      }
      groups {
        id
        name
        colour
      }
    }
  }
`);

type Notice = { tone: "ok" | "error"; text: string } | null;

export function ContactPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ContactDetail,
    variables: { id },
    requestPolicy: "cache-and-network",
    context,
  });
  const contact = data?.contact;
  useTitle(contact?.fullName ?? "Contact");
  const state = location.state as { saved?: boolean; invited?: boolean } | null;
  const [notice, setNotice] = useState<Notice>(
    state?.saved
      ? { tone: "ok", text: state.invited ? "Contact saved. Portal invitation sent." : "Contact saved." }
      : null,
  );
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [, setPrimary] = useMutation(SetPrimaryContact);
  const [, archive] = useMutation(ArchiveContact);
  const [, restore] = useMutation(RestoreContact);
  const [{ fetching: deleting }, remove] = useMutation(DeleteContact);
  const [{ fetching: leaving }, removeFromGroup] = useMutation(RemoveContactsFromGroup);
  const [addToGroupOpen, setAddToGroupOpen] = useState(false);
  const settings = useAppSettings();

  // The worker delivers invitations in the background: look again until it has.
  const queued =
    data?.contact?.portal.status === "INVITED" &&
    data.contact.portal.latestInvitation?.deliveryStatus === "QUEUED";
  useEffect(() => {
    if (!queued) return;
    const timer = window.setTimeout(() => refetch({ requestPolicy: "network-only" }), 2000);
    return () => window.clearTimeout(timer);
  }, [queued, data, refetch]);

  if (error && !data) return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!data && fetching) return <Loading label="Loading contact…" />;
  if (!contact) {
    return (
      <>
        <PageHeader title="Contact not found" />
        <p>
          This contact does not exist or was deleted. <Link to="/contacts">Back to contacts</Link>
        </p>
      </>
    );
  }

  const report = (
    result: { error?: { message: string }; data?: unknown },
    errors: readonly { message: string }[] | undefined,
    success: string,
  ) => {
    if (result.error || !errors) {
      setNotice({ tone: "error", text: result.error?.message ?? "Something went wrong." });
    } else if (errors.length) {
      setNotice({ tone: "error", text: errors.map((e) => e.message).join(" ") });
    } else {
      setNotice({ tone: "ok", text: success });
    }
  };

  const actions: MenuAction[] = [
    { label: "Edit", onSelect: () => navigate(`${location.pathname}/edit`) },
    { label: "Add to group…", onSelect: () => setAddToGroupOpen(true) },
  ];
  if (contact.company && !contact.isPrimaryContact && !contact.archived) {
    actions.push({
      label: "Set as primary contact",
      onSelect: async () => {
        const result = await setPrimary({ input: { contactId: contact.id } }, context);
        report(
          result,
          result.data?.setPrimaryContact.errors,
          `${contact.fullName} is now the primary contact of ${contact.company?.name}.`,
        );
      },
    });
  }
  actions.push(
    contact.archived
      ? {
          label: "Restore",
          onSelect: async () => {
            const result = await restore({ input: { id: contact.id } }, context);
            report(result, result.data?.restoreContact.errors, "Contact restored.");
          },
        }
      : {
          label: "Archive",
          onSelect: async () => {
            const result = await archive({ input: { id: contact.id } }, context);
            report(result, result.data?.archiveContact.errors, "Contact archived.");
          },
        },
    {
      label: "Delete permanently…",
      danger: true,
      separatorBefore: true,
      onSelect: () => {
        setDeleteError(null);
        setDeleteOpen(true);
      },
    },
  );

  const address = contact.address;
  const addressLines = address
    ? [
        address.line1,
        address.line2,
        [address.city, address.region].filter(Boolean).join(", "),
        address.postalCode,
        countryName(address.country),
      ].filter(Boolean)
    : [];
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
    <>
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <PageHeader
        title={
          <>
            {contact.title ? `${TITLES[contact.title]} ` : ""}
            {contact.fullName}
            {contact.isPrimaryContact && <Badge tone="info">Primary contact</Badge>}
            {contact.archived && <Badge tone="muted">Archived</Badge>}
          </>
        }
        actions={<ActionsMenu actions={actions} />}
      >
        <p className="subtle">
          {[contact.jobTitle, contact.company?.name].filter(Boolean).join(" at ") ||
            "Individual customer"}
        </p>
      </PageHeader>

      <div aria-live="polite">
        {notice && (
          <p className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`} role="status">
            {notice.text}
          </p>
        )}
      </div>

      <div className="detail-grid">
        <section className="card" aria-labelledby="contact-details">
          <h2 id="contact-details">Details</h2>
          <dl className="details">
            <dt>Type</dt>
            <dd>{CONTACT_TYPES[contact.type]}</dd>
            <dt>Status</dt>
            <dd>{CONTACT_STATUSES[contact.status]}</dd>
            <dt>Email</dt>
            <dd>
              {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : "—"}
            </dd>
            <dt>Job title</dt>
            <dd>{contact.jobTitle || "—"}</dd>
            <dt>Company</dt>
            <dd>
              {contact.company ? (
                <>
                  <Link to={companyPath(contact.company.id)}>{contact.company.name}</Link>
                  {contact.isPrimaryContact && " (primary contact)"}
                </>
              ) : (
                "Individual customer"
              )}
            </dd>
            <dt>Created</dt>
            <dd>{formatDateTime(contact.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{formatDateTime(contact.updatedAt)}</dd>
            <dt>Last contacted</dt>
            <dd>{formatDateTime(contact.lastContactedAt)}</dd>
          </dl>
        </section>

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
              {addressLines.length ? (
                <address style={{ fontStyle: "normal" }}>
                  {addressLines.map((line) => (
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
                      {CHANNELS[c.channel]}: {c.granted ? "given" : "withdrawn"}{" "}
                      {formatDateTime(c.changedAt)}
                      {c.source && <> by {CONSENT_SOURCES[c.source]}</>}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </section>

        <section className="card wide-region" aria-labelledby="contact-groups">
          <div className="section-head">
            <h2 id="contact-groups">Groups</h2>
            <button
              type="button"
              className="button button-small"
              onClick={() => setAddToGroupOpen(true)}
            >
              Add to group…
            </button>
          </div>
          {contact.groups.length === 0 ? (
            <p className="subtle">Not in any group.</p>
          ) : (
            <ul className="chips" aria-label="Groups of this contact">
              {contact.groups.map((g) => (
                <li key={g.id} className="chip">
                  <Link className="chip-edit" to={groupPath(g.id)}>
                    <Swatch colour={g.colour} />
                    {g.name}
                  </Link>
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove from group ${g.name}`}
                    disabled={leaving}
                    onClick={async () => {
                      const result = await removeFromGroup(
                        { input: { groupId: g.id, contactIds: [contact.id] } },
                        context,
                      );
                      report(
                        result,
                        result.data?.removeContactsFromGroup.errors,
                        `Removed from group ${g.name}.`,
                      );
                    }}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <PortalBox contactId={contact.id} fullName={contact.fullName} portal={contact.portal} />

        <section className="card placeholder-region" aria-labelledby="contact-activity">
          <h2 id="contact-activity">Timeline</h2>
          <p>The activity timeline will appear here.</p>
        </section>
      </div>

      <AddToGroupDialog
        open={addToGroupOpen}
        onOpenChange={setAddToGroupOpen}
        contactIds={[contact.id]}
        onDone={(text, tone) => {
          setNotice({ tone, text });
          refetch({ requestPolicy: "network-only" });
        }}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete ${contact.fullName} permanently?`}
        description={
          <>
            <p>
              This erases the contact and their personal data everywhere. It cannot be undone.
            </p>
            <p>To keep the record but hide it, archive the contact instead.</p>
          </>
        }
        confirmText={contact.fullName}
        confirmLabel="Delete permanently"
        busy={deleting}
        error={deleteError}
        onConfirm={async () => {
          const result = await remove({ input: { id: contact.id } }, context);
          const payload = result.data?.deleteContact;
          if (payload && payload.errors.length === 0) {
            setDeleteOpen(false);
            navigate("/contacts", {
              replace: true,
              state: { notice: `${contact.fullName} was deleted.` },
            });
          } else {
            setDeleteError(
              payload?.errors.map((e) => e.message).join(" ") ??
                result.error?.message ??
                "Could not delete.",
            );
          }
        }}
      />
    </>
  );
}
