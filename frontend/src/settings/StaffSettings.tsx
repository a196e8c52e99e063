import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu, type MenuAction } from "../components/ActionsMenu";
import { ConfirmDialog, FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { ListSearch } from "../components/ListPage";
import { Pager, pageArgs } from "../components/Pager";
import { QueryState, usePageQuery } from "../components/QueryState";
import { Badge, Empty, NoticeBar, SelectField, TextField, useTitle, type Notice } from "../components/ui";
import type { StaffRole, StaffStatus } from "../gql/schema";
import { useAuth } from "../lib/auth";
import { formatDate, formatDateTime, plural } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { useMailConfigured } from "../mail/NoMailServerBanner";
import { ReassignDialog, type Leaver } from "../staff/ReassignDialog";
import {
  InviteStaffDocument,
  StaffUsersDocument,
  UpdateStaffUserDocument,
  type StaffRowFieldsFragment,
} from "./settings.generated";

const PAGE_SIZE = 25;
const STAFF_CONTEXT = { additionalTypenames: ["StaffUser"] };

export const ROLES: Record<StaffRole, string> = { ADMIN: "Administrator", MEMBER: "Member" };
const STATUSES: Record<StaffStatus, [string, "info" | "good" | "muted"]> = {
  INVITED: ["Invited", "info"],
  ACTIVE: ["Active", "good"],
  DEACTIVATED: ["Deactivated", "muted"],
};

type Confirming = { user: StaffRowFieldsFragment; active: boolean };

/** Settings › Staff: who has an account, invitations, roles, deactivation. */
export function StaffSettings() {
  useTitle("Staff");
  const [params] = useSearchParams();
  const search = params.get("q") ?? "";
  const query = usePageQuery(StaffUsersDocument, { search: search || null, ...pageArgs(params, PAGE_SIZE) }, STAFF_CONTEXT);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [inviting, setInviting] = useState(false);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [reassigning, setReassigning] = useState<Leaver | null>(null);
  const [, update] = useMutation(UpdateStaffUserDocument);
  const [, invite] = useMutation(InviteStaffDocument);
  const mailConfigured = useMailConfigured();
  const auth = useAuth();
  const total = query[0].data?.staffUsers.totalCount;

  const invited = (user: { email: string; role: StaffRole }) =>
    `Invited ${user.email} as ${user.role === "ADMIN" ? "an administrator" : "a member"}: ` +
    (mailConfigured === false
      ? "with no mail server, the invitation email was written to the server's log, not sent."
      : "they have been emailed a link to choose their password.");

  async function changeRole(user: StaffRowFieldsFragment, role: StaffRole) {
    const result = await update({ input: { id: user.id, role } }, STAFF_CONTEXT);
    const problem = mutationProblem(result, result.data?.updateStaffUser, "Could not change the role.");
    // An administrator who made themselves a member loses the Settings at once.
    if (!problem && auth.user?.id === user.id) auth.signedInAs({ ...auth.user, role });
    setNotice(problem ? { tone: "error", text: problem } : { tone: "ok", text: `${who(user)} is now ${role === "ADMIN" ? "an administrator" : "a member"}.` });
  }

  async function inviteAgain(user: StaffRowFieldsFragment) {
    const result = await invite({ input: { email: user.email, role: user.role } }, STAFF_CONTEXT);
    const problem = mutationProblem(result, result.data?.inviteStaff, "Could not send the invitation.");
    setNotice(problem ? { tone: "error", text: problem } : { tone: "ok", text: `${invited(user)} The earlier link no longer works.` });
  }

  return (
    <>
      <div className="section-head">
        <div>
          <h2>Staff accounts</h2>
          {total !== undefined && (
            <p className="subtle" aria-live="polite">
              {plural(total, "account")}
              {search ? (total === 1 ? " matches" : " match") : ""}
            </p>
          )}
        </div>
        <button type="button" className="button button-primary" onClick={() => setInviting(true)}>
          Invite a colleague
        </button>
      </div>
      <NoticeBar notice={notice} />
      <ListSearch label="Search staff" placeholder="Search by name or email…" />
      <QueryState
        query={query}
        loading="Loading staff…"
        select={(data) => (data.staffUsers.edges.length ? data.staffUsers : null)}
        empty={<Empty>No staff account matches this search.</Empty>}
      >
        {(staff, stale) => (
          <>
            <div className={`table-wrap${stale ? " is-stale" : ""}`}>
              <table className="table cards staff-table">
                <caption className="visually-hidden">Staff accounts</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {staff.edges.map(({ node }) => (
                    <StaffRow
                      key={node.id}
                      user={node}
                      onRole={(role) => void changeRole(node, role)}
                      onActive={(active) => setConfirming({ user: node, active })}
                      onInviteAgain={() => void inviteAgain(node)}
                      onReassign={() => setReassigning(node)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pageInfo={staff.pageInfo} label="Staff pages" />
          </>
        )}
      </QueryState>
      <ReassignDialog
        leaver={reassigning}
        onOpenChange={(open) => !open && setReassigning(null)}
        onDone={(text) => setNotice({ tone: "ok", text })}
      />
      <InviteDialog open={inviting} onOpenChange={setInviting} onInvited={(user) => setNotice({ tone: "ok", text: invited(user) })} />
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={confirming?.active ? `Reactivate ${who(confirming.user)}?` : `Deactivate ${confirming ? who(confirming.user) : ""}?`}
        description={
          confirming?.active ? (
            <p>They can sign in again with their password, with the role they had.</p>
          ) : (
            <p>
              They are signed out at once and can no longer sign in. Their notes and history stay, and so do
              the contacts they own until you give them to someone else. You can reactivate them later.
            </p>
          )
        }
        confirmLabel={confirming?.active ? "Reactivate" : "Deactivate"}
        action={async () => {
          if (!confirming) return null;
          const result = await update({ input: { id: confirming.user.id, active: confirming.active } }, STAFF_CONTEXT);
          return mutationProblem(result, result.data?.updateStaffUser, "Could not change the account.");
        }}
        onDone={() =>
          confirming &&
          setNotice({
            tone: "ok",
            text: `${who(confirming.user)} was ${confirming.active ? "reactivated" : "deactivated"}.`,
          })
        }
      />
    </>
  );
}

function who(user: { name: string; email: string }): string {
  return user.name || user.email;
}

function StaffRow({
  user,
  onRole,
  onActive,
  onInviteAgain,
  onReassign,
}: {
  user: StaffRowFieldsFragment;
  onRole: (role: StaffRole) => void;
  onActive: (active: boolean) => void;
  onInviteAgain: () => void;
  onReassign: () => void;
}) {
  const auth = useAuth();
  const isMe = auth.user?.id === user.id;
  const [status, tone] = STATUSES[user.status];
  const actions: MenuAction[] = [
    user.role === "ADMIN"
      ? { label: "Make member", onSelect: () => onRole("MEMBER") }
      : { label: "Make administrator", onSelect: () => onRole("ADMIN") },
  ];
  if (user.status === "INVITED") actions.push({ label: "Send the invitation again", onSelect: onInviteAgain });
  if (user.status === "DEACTIVATED") actions.push({ label: "Give their contacts to…", onSelect: onReassign });
  actions.push(
    user.status === "DEACTIVATED"
      ? { label: "Reactivate…", onSelect: () => onActive(true), separatorBefore: true }
      : { label: "Deactivate…", onSelect: () => onActive(false), danger: true, separatorBefore: true },
  );
  return (
    <tr>
      <th scope="row" className="col-name">
        {user.name || <span className="subtle">No name yet</span>}
        {isMe && (
          <>
            {" "}
            <Badge>You</Badge>
          </>
        )}
      </th>
      <td className="col-staff-email" data-label="Email">
        {user.email}
      </td>
      <td data-label="Role">{ROLES[user.role]}</td>
      <td data-label="Status">
        <Badge tone={tone}>{status}</Badge>
      </td>
      <td className="nowrap" data-label="Last sign-in">
        {user.lastLoginAt
          ? formatDateTime(user.lastLoginAt)
          : user.status === "INVITED" && user.invitedAt
            ? `Never (invited ${formatDate(user.invitedAt)})`
            : "Never"}
      </td>
      <td className="col-actions">
        <ActionsMenu
          label={
            <>
              Change<span className="visually-hidden"> {who(user)}</span>
            </>
          }
          actions={actions}
        />
      </td>
    </tr>
  );
}

/** "Invite a colleague": an email address and a role; they get a link to choose their password. */
function InviteDialog({
  open,
  onOpenChange,
  onInvited,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onInvited: (user: { email: string; role: StaffRole }) => void;
}) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("MEMBER");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching }, invite] = useMutation(InviteStaffDocument);

  useOnOpen(open, () => {
    setEmail("");
    setRole("MEMBER");
    setErrors(NO_ERRORS);
  });

  async function submit() {
    const result = await invite({ input: { email: email.trim(), role } }, STAFF_CONTEXT);
    const payload = result.data?.inviteStaff;
    if (payload?.user && payload.errors.length === 0) {
      onInvited(payload.user);
      onOpenChange(false);
    } else {
      setErrors(formErrors(result, payload, ["email", "role"], "Could not send the invitation."));
    }
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Invite a colleague"
      description={<p>They get an email with a link to choose their name and password. The link works once.</p>}
      submitLabel="Send invitation"
      busy={fetching}
      errors={errors.general}
      onSubmit={() => void submit()}
    >
      <TextField
        id={`${id}-email`}
        label="Email"
        type="email"
        value={email}
        onChange={setEmail}
        error={errors.fields.email}
        autoFocus
        required
      />
      <SelectField
        id={`${id}-role`}
        label="Role"
        value={role}
        onChange={setRole}
        options={{ MEMBER: "Member: works with contacts, companies, groups and campaigns", ADMIN: "Administrator: also settings and staff" }}
        error={errors.fields.role}
      />
    </FormDialog>
  );
}
