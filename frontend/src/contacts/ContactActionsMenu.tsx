import { useState } from "react";
import { useNavigate } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu, type MenuAction } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { noticeOf, type Notice } from "../components/ui";
import { useAuth } from "../lib/auth";
import { ALL_CONTEXT } from "../lib/client";
import { CONTACT_TYPES, contactPath } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { messageRefusal } from "../messages/refusal";
import { useInviteActions } from "../portal/invitations/useInviteActions";
import { Icon } from "../timeline/icons";
import { ConvertLeadDialog } from "./ConvertLeadDialog";
import { PrimaryOffer } from "./bulk/PrimaryOffer";
import { RestoreContactToCompanyDocument } from "./bulk/bulk.generated";
import { useUndoArchive, type ArchivedContacts } from "./bulk/UndoToast";
import {
  ArchiveContactDocument,
  DeleteContactDocument,
  SetPrimaryContactDocument,
  ViewPortalAsDocument,
  type ContactMenuFieldsFragment,
} from "./contacts.generated";

const FAILED = "Something went wrong.";

/** The address of a contact's page, to paste elsewhere. */
function contactUrl(id: string): string {
  return new URL(contactPath(id), window.location.origin).href;
}

async function copyLink(contact: ContactMenuFieldsFragment): Promise<Notice> {
  const url = contactUrl(contact.id);
  try {
    await navigator.clipboard.writeText(url);
    return { tone: "ok", text: `Link copied: the link to ${contact.fullName}'s page is on the clipboard.` };
  } catch {
    return { tone: "error", text: `The browser refused to copy. The link is ${url}` };
  }
}

/** Why the portal cannot be viewed as this contact (an administrator asking), or null. */
function viewRefusal(contact: ContactMenuFieldsFragment): string | null {
  if (contact.archived) return "Archived contacts have no portal to view: restore them first";
  if (contact.portal.status !== "ACTIVE") return "They have no portal account until they accept their invitation";
  return null;
}

/**
 * Everything that can be done with one contact, in one menu: the contacts list's ⋯ on each
 * row (`compact`) and the contact page's Actions. Quick icons (copy link, edit, message)
 * come first, then what the contact's type and status allow; what does not apply says why.
 * Outcomes are reported through `onNotice`; dialogs load when they first open.
 */
export function ContactActionsMenu({
  contact,
  onNotice,
  onDeleted,
  onMessage,
  onArchived,
  extra = [],
  compact = false,
}: {
  contact: ContactMenuFieldsFragment;
  onNotice: (notice: Notice) => void;
  onDeleted: () => void;
  /** Opens the messages panel; by default the contact's page opens at it. */
  onMessage?: () => void;
  /** Offers Undo after an archive, where the menu may be gone by then (a list's row); by
   * default the menu offers it itself. */
  onArchived?: (archived: ArchivedContacts) => void;
  /** Actions only this place offers, after the quick icons. */
  extra?: MenuAction[];
  compact?: boolean;
}) {
  const navigate = useNavigate();
  const isAdmin = useAuth().user?.role === "ADMIN";
  const [convertOpen, setConvertOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [archiveOpen, setArchiveOpen] = useState(false);
  const [, setPrimary] = useMutation(SetPrimaryContactDocument);
  const [, archive] = useMutation(ArchiveContactDocument);
  const [, restore] = useMutation(RestoreContactToCompanyDocument);
  const [, remove] = useMutation(DeleteContactDocument);
  const [, impersonate] = useMutation(ViewPortalAsDocument);
  const invite = useInviteActions(contact, onNotice);
  const ownUndo = useUndoArchive(() => undefined);
  const offerUndo = onArchived ?? ownUndo.offerUndo;
  const primaryOf = contact.isPrimaryContact ? (contact.company?.name ?? null) : null;
  const input = { input: { id: contact.id } };
  const page = contactPath(contact.id);

  /** Opens the portal as the contact in a new tab (opened at once: a tab opened after the
   * request has come back can be taken for a pop-up and blocked). */
  async function viewPortalAs() {
    const tab = window.open("", "_blank");
    const result = await impersonate({ input: { contactId: contact.id } }, ALL_CONTEXT);
    const payload = result.data?.impersonatePortalUser;
    const problem = mutationProblem(result, payload, FAILED);
    if (problem || !payload?.url) {
      tab?.close();
      onNotice({ tone: "error", text: problem ?? FAILED });
    } else if (tab) {
      tab.opener = null;
      tab.location.href = payload.url;
      onNotice({ tone: "ok", text: `The portal as ${contact.fullName} sees it opened in a new tab.` });
    } else {
      onNotice({ tone: "error", text: "The browser blocked the new tab: allow pop-ups for this site and try again." });
    }
  }

  /** Archives the contact: Undo is offered, and the notice says so when it loses a role. */
  async function archiveContact(): Promise<string | null> {
    const result = await archive(input, ALL_CONTEXT);
    const problem = mutationProblem(result, result.data?.archiveContact, FAILED);
    if (problem) return problem;
    const text = primaryOf
      ? `${contact.fullName} archived. ${primaryOf} has no primary contact now.`
      : `${contact.fullName} archived.`;
    offerUndo({ text, ids: [contact.id], primaryOf });
    return null;
  }

  /** Restores the contact, offering them their company's primary role if nobody has it. */
  async function restoreContact() {
    const result = await restore(input, ALL_CONTEXT);
    const payload = result.data?.restoreContact;
    const problem = mutationProblem(result, payload, FAILED);
    const company = payload?.contact?.company;
    if (problem || !company || company.primaryContact) {
      onNotice(noticeOf(problem, `${contact.fullName} restored.`));
      return;
    }
    onNotice({
      tone: "ok",
      text: (
        <>
          {contact.fullName} restored. <PrimaryOffer contact={contact} company={company.name} />
        </>
      ),
    });
  }

  const quick: MenuAction[] = [
    { label: "Copy link", icon: <Icon name="link" />, onSelect: () => void copyLink(contact).then(onNotice) },
    { label: "Edit", icon: <Icon name="updated" />, onSelect: () => navigate(`${page}/edit`) },
    {
      label: "Message",
      icon: <Icon name="message" />,
      unavailable: messageRefusal(contact),
      movesFocus: Boolean(onMessage),
      onSelect: onMessage ?? (() => navigate(`${page}#messages`)),
    },
  ];
  if (isAdmin) {
    quick.push({
      label: "View portal as",
      icon: <Icon name="eye" />,
      unavailable: viewRefusal(contact),
      onSelect: () => void viewPortalAs(),
    });
  }

  const actions: MenuAction[] = [...extra];
  if (invite.canSend) actions.push({ label: "Send portal invitation", onSelect: () => void invite.send() });
  if (invite.canResend) actions.push({ label: "Resend invitation", onSelect: () => void invite.resend() });
  if (invite.canRevoke) actions.push({ label: `${invite.revokeLabel}…`, onSelect: invite.askRevoke });
  if (contact.type === "LEAD") {
    actions.push({ label: "Convert to client…", onSelect: () => setConvertOpen(true) });
  }
  if (contact.company && !contact.isPrimaryContact && !contact.archived) {
    const company = contact.company.name;
    actions.push({
      label: "Set as primary contact",
      onSelect: async () => {
        const result = await setPrimary({ input: { contactId: contact.id } }, ALL_CONTEXT);
        const problem = mutationProblem(result, result.data?.setPrimaryContact, FAILED);
        onNotice(noticeOf(problem, `${contact.fullName} is now the primary contact of ${company}.`));
      },
    });
  }
  actions.push({
    label: "Find duplicates",
    onSelect: () => navigate(`/duplicates?contact=${encodeURIComponent(contact.id)}`),
  });
  actions.push(
    contact.archived
      ? {
          label: "Restore",
          onSelect: () => void restoreContact(),
        }
      : primaryOf
        ? { label: "Archive…", onSelect: () => setArchiveOpen(true) }
        : {
            label: "Archive",
            onSelect: async () => {
              const problem = await archiveContact();
              if (problem) onNotice({ tone: "error", text: problem });
            },
          },
    { label: "Delete permanently…", danger: true, separatorBefore: true, onSelect: () => setDeleteOpen(true) },
  );

  return (
    <>
      <ActionsMenu
        quick={quick}
        actions={actions}
        trigger={
          compact ? (
            <button type="button" className="options-button" aria-label={`Options for ${contact.fullName}`}>
              <span aria-hidden="true">⋯</span>
            </button>
          ) : undefined
        }
      />
      {invite.revokeDialog}
      <ConvertLeadDialog
        open={convertOpen}
        onOpenChange={setConvertOpen}
        contact={contact}
        onConverted={(type) =>
          onNotice({ tone: "ok", text: `${contact.fullName} is now a ${CONTACT_TYPES[type].toLowerCase()}.` })
        }
      />
      {!onArchived && ownUndo.toast}
      <ConfirmDialog
        open={archiveOpen}
        onOpenChange={setArchiveOpen}
        title={`Archive ${contact.fullName}?`}
        description={
          <p>
            {contact.fullName} is the primary contact of {primaryOf}. Archived, they no longer are: {primaryOf}{" "}
            will have no primary contact until you choose one.
          </p>
        }
        confirmLabel="Archive"
        action={archiveContact}
        onDone={() => undefined}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete ${contact.fullName} permanently?`}
        description={
          <>
            <p>This erases the contact and their personal data everywhere. It cannot be undone.</p>
            <p>To keep the record but hide it, archive the contact instead.</p>
          </>
        }
        confirmText={contact.fullName}
        confirmLabel="Delete permanently"
        action={async () => {
          const result = await remove(input, ALL_CONTEXT);
          return mutationProblem(result, result.data?.deleteContact, "Could not delete.");
        }}
        onDone={onDeleted}
      />
    </>
  );
}
