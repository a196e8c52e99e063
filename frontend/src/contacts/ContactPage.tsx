import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useMutation } from "urql";
import { Avatar } from "../avatars/Avatar";
import { ContactAvatar } from "../avatars/ContactAvatar";
import type { MenuAction } from "../components/ActionsMenu";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Badge, NoticeBar, PageHeader, noticeOf, useTitle, type Notice } from "../components/ui";
import { AddToGroupDialog } from "../groups/GroupDialogs";
import { RemoveContactsFromGroupDocument } from "../groups/groups.generated";
import { ALL_CONTEXT } from "../lib/client";
import { CONTACT_STATUSES, CONTACT_TYPES, TITLES, companyPath, formatDateTime } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { MessagesPanel } from "../messages/MessagesPanel";
import { PortalBox } from "../portal/invitations/PortalBox";
import { ProductChips } from "../products/ProductPicker";
import { ownerName } from "../staff/OwnerSelect";
import type { ComposeRequest } from "../timeline/NoteForm";
import { TimelineSection } from "../timeline/TimelineSection";
import { RecordContactViewDocument } from "../home/home.generated";
import { followUpTitle } from "../tasks/labels";
import type { TaskRequest } from "../tasks/SubjectTasks";
import type { Subject } from "../tasks/TaskDialog";
import { TasksSection } from "../tasks/TasksSection";
import { ContactGroups, ContactReach } from "./ContactSections";
import { ContactActionsMenu } from "./ContactActionsMenu";
import { ContactDetailDocument, type ContactDetailQuery } from "./contacts.generated";

export type ContactDetail = NonNullable<ContactDetailQuery["contact"]>;

export function ContactPage() {
  const { id = "" } = useParams();
  const query = usePageQuery(ContactDetailDocument, { id });
  const [{ data }, refetch] = query;
  useTitle(data?.contact?.fullName ?? "Contact");

  // The worker delivers invitations in the background: look again until it has.
  const portal = data?.contact?.portal;
  const queued = portal?.status === "INVITED" && portal.latestInvitation?.deliveryStatus === "QUEUED";
  useEffect(() => {
    if (!queued) return;
    const timer = window.setTimeout(() => refetch({ requestPolicy: "network-only" }), 2000);
    return () => window.clearTimeout(timer);
  }, [queued, data, refetch]);

  return (
    <RecordState query={query} what="contact" list="/contacts" select={(d) => d.contact}>
      {(contact) => (
        <ContactView
          key={contact.id}
          contact={contact}
          reload={() => refetch({ requestPolicy: "network-only" })}
        />
      )}
    </RecordState>
  );
}

function ContactView({ contact, reload }: { contact: ContactDetail; reload: () => void }) {
  const location = useLocation();
  const navigate = useNavigate();
  const state = location.state as {
    saved?: boolean;
    invited?: boolean;
    avatarProblem?: string | null;
    notice?: string;
  } | null;
  const [notice, setNotice] = useState<Notice | null>(() => {
    if (state?.notice) return { tone: "ok", text: state.notice };
    if (!state?.saved) return null;
    const saved = state.invited ? "Contact saved. Portal invitation sent." : "Contact saved.";
    if (state.avatarProblem) return { tone: "error", text: `${saved} The picture was refused: ${state.avatarProblem}` };
    return { tone: "ok", text: saved };
  });
  const [addToGroupOpen, setAddToGroupOpen] = useState(false);
  const [compose, setCompose] = useState<ComposeRequest | null>(null);
  const [messageKey, setMessageKey] = useState(0);
  const [{ fetching: leaving }, removeFromGroup] = useMutation(RemoveContactsFromGroupDocument);
  const [taskRequest, setTaskRequest] = useState<TaskRequest | null>(null);
  const failed = "Something went wrong.";
  const subject: Subject = { kind: "contact", id: contact.id, name: contact.fullName };

  // Opened: the contact heads my recently viewed on the home page.
  const [, recordView] = useMutation(RecordContactViewDocument);
  useEffect(() => {
    void recordView({ input: { contactId: contact.id } });
  }, [contact.id, recordView]);

  // What only the contact's own page offers, beside what its options menu offers everywhere.
  const pageActions: MenuAction[] = [
    {
      label: "Log a call",
      movesFocus: true,
      onSelect: () => setCompose({ kind: "CALL", key: (compose?.key ?? 0) + 1 }),
    },
    { label: "Add to group…", onSelect: () => setAddToGroupOpen(true) },
  ];

  return (
    <>
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <PageHeader
        title={
          <>
            <Avatar name={contact.fullName} url={contact.avatarUrl} size="medium" />
            {contact.title ? `${TITLES[contact.title]} ` : ""}
            {contact.fullName}
            {contact.isPrimaryContact && <Badge tone="info">Primary contact</Badge>}
            {contact.archived && <Badge tone="muted">Archived</Badge>}
          </>
        }
        actions={
          <ContactActionsMenu
            contact={contact}
            extra={pageActions}
            onNotice={setNotice}
            onMessage={() => setMessageKey((key) => key + 1)}
            onDeleted={() =>
              navigate("/contacts", { replace: true, state: { notice: `${contact.fullName} was deleted.` } })
            }
          />
        }
      >
        <p className="subtle">
          {[contact.jobTitle, contact.company?.name].filter(Boolean).join(" at ") || "Individual customer"}
        </p>
      </PageHeader>

      <NoticeBar notice={notice} />

      <div className="detail-grid">
        <section className="card" aria-labelledby="contact-details">
          <h2 id="contact-details">Details</h2>
          <dl className="details">
            <dt>Type</dt>
            <dd>{CONTACT_TYPES[contact.type]}</dd>
            <dt>Status</dt>
            <dd>{CONTACT_STATUSES[contact.status]}</dd>
            <dt>Email</dt>
            <dd>{contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : "—"}</dd>
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
            <dt>Owner</dt>
            <dd>{contact.owner ? ownerName(contact.owner) : "Nobody"}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(contact.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{formatDateTime(contact.updatedAt)}</dd>
            <dt>Last contacted</dt>
            <dd>{formatDateTime(contact.lastContactedAt)}</dd>
          </dl>
        </section>

        <TasksSection subject={subject} request={taskRequest} />

        <ContactReach contact={contact} />

        <section className="card" aria-labelledby="contact-picture">
          <h2 id="contact-picture">Picture</h2>
          <ContactAvatar contactId={contact.id} name={contact.fullName} url={contact.avatarUrl} onChanged={reload} />
        </section>

        <section className="card" aria-labelledby="contact-products">
          <div className="section-head">
            <h2 id="contact-products">Products and services</h2>
            <Link className="button button-small" to={`${location.pathname}/edit`}>
              Change…
            </Link>
          </div>
          <ProductChips products={contact.products} label="Products this contact uses" />
        </section>

        <ContactGroups
          groups={contact.groups}
          busy={leaving}
          onAdd={() => setAddToGroupOpen(true)}
          onRemove={async (group) => {
            const result = await removeFromGroup(
              { input: { groupId: group.id, contactIds: [contact.id] } },
              ALL_CONTEXT,
            );
            const problem = mutationProblem(result, result.data?.removeContactsFromGroup, failed);
            setNotice(noticeOf(problem, `Removed from group ${group.name}.`));
          }}
        />

        <PortalBox contactId={contact.id} fullName={contact.fullName} portal={contact.portal} />

        <MessagesPanel contact={contact} focusKey={messageKey} />

        <TimelineSection
          subject="contact"
          subjectId={contact.id}
          request={compose}
          refreshKey={`${contact.portal.status} ${contact.portal.latestInvitation?.deliveryStatus}`}
          onFollowUp={(note) =>
            setTaskRequest({
              key: (taskRequest?.key ?? 0) + 1,
              draft: { subject, due: "in3days", title: followUpTitle(note) },
            })
          }
        />
      </div>

      <AddToGroupDialog
        open={addToGroupOpen}
        onOpenChange={setAddToGroupOpen}
        contactIds={[contact.id]}
        onDone={(text, tone) => {
          setNotice({ tone, text });
          reload();
        }}
      />
    </>
  );
}
