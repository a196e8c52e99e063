import { useId, useState } from "react";
import { useMutation, useQuery, type CombinedError } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { SearchBox } from "../components/SearchBox";
import { Field, SelectField, TextField, describedBy } from "../components/ui";
import type { TaskKind } from "../gql/schema";
import { useAuth } from "../lib/auth";
import type { UserErrorFieldsFragment } from "../lib/fragments.generated";
import { fromLocalInput, toLocalInput } from "../timeline/time";
import { DUE_CHOICES, TASK_CHANGE_CONTEXT, TASK_KINDS, dueText, presetDue, type DueChoice } from "./labels";
import {
  CreateTaskDocument,
  TaskAssigneesDocument,
  TaskSubjectOptionsDocument,
  UpdateTaskDocument,
  type TaskFieldsFragment,
} from "./tasks.generated";

export type Task = TaskFieldsFragment;
type TaskPayload = { task: Task | null; errors: readonly UserErrorFieldsFragment[] };

/** What a task is about: a contact or a company (or nothing). */
export type Subject = { kind: "contact" | "company"; id: string; name: string };

/** What a new task starts with: the page's contact or company, a due time ("Follow up"). */
export type TaskDraft = { subject?: Subject | null; due?: DueChoice; title?: string };

type Values = {
  title: string;
  notes: string;
  kind: TaskKind;
  due: DueChoice;
  /** The datetime-local value when `due` is custom. */
  dueCustom: string;
  assigneeId: string;
  subject: Subject | null;
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const SHOWN_FIELDS = ["title", "notes", "kind", "dueAt", "assigneeId", "contactId", "companyId"];

function subjectOf(task: Task): Subject | null {
  if (task.contact) return { kind: "contact", id: task.contact.id, name: task.contact.fullName };
  if (task.company) return { kind: "company", id: task.company.id, name: task.company.name };
  return null;
}

function initialValues(task: Task | null, draft: TaskDraft | undefined, me: string): Values {
  if (task) {
    return {
      title: task.title,
      notes: task.notes ?? "",
      kind: task.kind,
      due: task.dueAt ? "custom" : "none",
      dueCustom: task.dueAt ? toLocalInput(task.dueAt) : "",
      assigneeId: task.assignee?.id ?? me,
      subject: subjectOf(task),
    };
  }
  return {
    title: draft?.title ?? "",
    notes: "",
    kind: "TODO",
    due: draft?.due ?? "tomorrow",
    dueCustom: "",
    assigneeId: me,
    subject: draft?.subject ?? null,
  };
}

/** The due time the form says, as ISO; undefined when a custom one is not a time yet. */
function dueAtOf(values: Values): string | null | undefined {
  if (values.due === "none") return null;
  if (values.due === "custom") return fromLocalInput(values.dueCustom) ?? undefined;
  return presetDue(values.due).toISOString();
}

/**
 * A task's form in a dialog: a new one (with `draft`'s contact or company and due time), or
 * `task` to edit or reassign. `onSaved` gets the saved task.
 */
export function TaskDialog({
  open,
  onOpenChange,
  task = null,
  draft,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  task?: Task | null;
  draft?: TaskDraft;
  onSaved: (task: Task, created: boolean) => void;
}) {
  const uid = useId();
  const { user } = useAuth();
  const me = user?.id ?? "";
  const [values, setValues] = useState<Values>(() => initialValues(task, draft, me));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching: creating }, create] = useMutation(CreateTaskDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateTaskDocument);
  useOnOpen(open, () => {
    setValues(initialValues(task, draft, me));
    setErrors(NO_ERRORS);
  });
  const set = (changes: Partial<Values>) => setValues((current) => ({ ...current, ...changes }));

  async function save() {
    const dueAt = dueAtOf(values);
    if (dueAt === undefined) {
      setErrors({ fields: { dueAt: "Give the date and time, or choose another due time." }, general: [] });
      return;
    }
    const about = {
      contactId: values.subject?.kind === "contact" ? values.subject.id : null,
      companyId: values.subject?.kind === "company" ? values.subject.id : null,
    };
    const fields = {
      title: values.title,
      notes: values.notes.trim() ? values.notes : null,
      kind: values.kind,
      dueAt,
      assigneeId: values.assigneeId || null,
    };
    if (task) {
      // A task about both a contact and its company keeps both unless "About" changed, and
      // the input shows minutes: an untouched due time keeps the task's own (and its reminder).
      const before = initialValues(task, undefined, me);
      const sameSubject = JSON.stringify(values.subject) === JSON.stringify(before.subject);
      const sameDue = values.due === before.due && values.dueCustom === before.dueCustom;
      const { dueAt: newDue, ...rest } = fields;
      const input = { id: task.id, ...rest, ...(sameDue ? {} : { dueAt: newDue }), ...(sameSubject ? {} : about) };
      const result = await update({ input }, TASK_CHANGE_CONTEXT);
      finish(result, result.data?.updateTask, false);
    } else {
      const result = await create({ input: { ...fields, ...about } }, TASK_CHANGE_CONTEXT);
      finish(result, result.data?.createTask, true);
    }
  }

  function finish(result: { error?: CombinedError }, payload: TaskPayload | null | undefined, created: boolean) {
    if (payload?.task && payload.errors.length === 0) {
      onOpenChange(false);
      onSaved(payload.task, created);
      return;
    }
    setErrors(formErrors(result, payload, SHOWN_FIELDS, "Could not save the task."));
  }

  const { fields } = errors;
  const ids = { title: `${uid}-title`, notes: `${uid}-notes`, kind: `${uid}-kind`, due: `${uid}-due` };
  const dueAt = dueAtOf(values);
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={task ? "Edit task" : "New task"}
      submitLabel={task ? "Save" : "Add task"}
      busy={creating || updating}
      errors={errors.general}
      onSubmit={() => void save()}
    >
      <TextField
        id={ids.title}
        label="Title"
        required
        autoFocus
        maxLength={200}
        value={values.title}
        error={fields.title}
        placeholder={values.subject ? `Call ${values.subject.name} back` : "What is to be done"}
        onChange={(title) => set({ title })}
      />
      <div className="task-form-row">
        <SelectField
          id={ids.kind}
          label="Kind"
          value={values.kind}
          options={TASK_KINDS}
          error={fields.kind}
          onChange={(kind) => set({ kind })}
        />
        <Field
          id={ids.due}
          label="Due"
          error={values.due === "custom" ? undefined : fields.dueAt}
          hint={dueAt ? capitalised(dueText(dueAt)) : undefined}
        >
          <select
            id={ids.due}
            value={values.due}
            aria-describedby={describedBy(ids.due, undefined, Boolean(dueAt))}
            onChange={(e) => {
              const due = e.target.value as DueChoice;
              const custom = values.dueCustom || toLocalInput(presetDue("tomorrow"));
              set({ due, dueCustom: due === "custom" ? custom : values.dueCustom });
            }}
          >
            {(Object.keys(DUE_CHOICES) as DueChoice[]).map((choice) => (
              <option key={choice} value={choice}>
                {DUE_CHOICES[choice]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {values.due === "custom" && (
        <Field id={`${ids.due}-at`} label="Due date and time" error={fields.dueAt}>
          <input
            id={`${ids.due}-at`}
            type="datetime-local"
            value={values.dueCustom}
            aria-invalid={fields.dueAt ? true : undefined}
            aria-describedby={describedBy(`${ids.due}-at`, fields.dueAt)}
            onChange={(e) => set({ dueCustom: e.target.value })}
          />
        </Field>
      )}
      <AssigneeSelect
        value={values.assigneeId}
        task={task}
        error={fields.assigneeId}
        onChange={(assigneeId) => set({ assigneeId })}
      />
      <SubjectPicker
        value={values.subject}
        error={fields.contactId ?? fields.companyId}
        onChange={(subject) => set({ subject })}
      />
      <Field id={ids.notes} label="Notes" error={fields.notes}>
        <textarea
          id={ids.notes}
          rows={3}
          value={values.notes}
          aria-invalid={fields.notes ? true : undefined}
          aria-describedby={describedBy(ids.notes, fields.notes)}
          onChange={(e) => set({ notes: e.target.value })}
        />
      </Field>
    </FormDialog>
  );
}

const STAFF_CONTEXT = { additionalTypenames: ["StaffUser"] };

/** Who does it: me first, then every colleague who can sign in, by name. */
function AssigneeSelect({
  value,
  task,
  error,
  onChange,
}: {
  value: string;
  task: Task | null;
  error?: string;
  onChange: (id: string) => void;
}) {
  const id = useId();
  const { user } = useAuth();
  const [{ data, fetching }] = useQuery({
    query: TaskAssigneesDocument,
    requestPolicy: "cache-and-network",
    context: STAFF_CONTEXT,
  });
  const staff = data?.staffDirectory.edges.map((e) => e.node) ?? [];
  const others = staff.filter((s) => s.id !== user?.id);
  // Someone deactivated since keeps the task until another is chosen.
  const kept = task?.assignee && task.assignee.id !== user?.id && !others.some((s) => s.id === task.assignee?.id);
  return (
    <Field id={id} label="Assigned to" error={error}>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        onChange={(e) => onChange(e.target.value)}
      >
        {user && <option value={user.id}>Me ({user.name || user.email})</option>}
        {kept && task.assignee && <option value={task.assignee.id}>{task.assignee.name || task.assignee.email}</option>}
        {others.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name || s.email}
          </option>
        ))}
        {fetching && !data && <option disabled>Loading colleagues…</option>}
      </select>
    </Field>
  );
}

const SUBJECT_CONTEXT = { additionalTypenames: ["Contact", "Company"] };

/** "About": a contact or a company found by name, or nothing in particular. */
function SubjectPicker({
  value,
  error,
  onChange,
}: {
  value: Subject | null;
  error?: string;
  onChange: (subject: Subject | null) => void;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [{ data }] = useQuery({
    query: TaskSubjectOptionsDocument,
    variables: { search: search || null },
    requestPolicy: "cache-and-network",
    context: SUBJECT_CONTEXT,
    pause: !search && value !== null,
  });
  const contacts: Subject[] = (data?.contacts.edges ?? []).map(({ node }) => ({
    kind: "contact",
    id: node.id,
    name: node.email ? `${node.fullName} <${node.email}>` : node.fullName,
  }));
  const companies: Subject[] = (data?.companies.edges ?? []).map(({ node }) => ({
    kind: "company",
    id: node.id,
    name: node.name,
  }));
  const found = [...contacts, ...companies];
  const current = value && !found.some((s) => s.id === value.id) ? value : null;
  const choose = (chosen: string) => {
    if (!chosen) return onChange(null);
    const subject = found.find((s) => s.id === chosen);
    if (!subject) return;
    // The contact's email only helped to tell namesakes apart.
    onChange(subject.kind === "contact" ? { ...subject, name: subject.name.replace(/ <[^>]*>$/, "") } : subject);
  };
  return (
    <div className="field task-subject">
      <label htmlFor={id}>About</label>
      <div className="task-subject-row">
        <SearchBox
          label="About: find a contact or company"
          placeholder="Find a contact or company…"
          value={search}
          onSearch={setSearch}
        />
        <select
          id={id}
          value={value?.id ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
          onChange={(e) => choose(e.target.value)}
        >
          <option value="">Nobody in particular</option>
          {current && <option value={current.id}>{current.name}</option>}
          {contacts.length > 0 && (
            <optgroup label="Contacts">
              {contacts.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          )}
          {companies.length > 0 && (
            <optgroup label="Companies">
              {companies.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
