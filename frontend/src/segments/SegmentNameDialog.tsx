import { useId, useState } from "react";
import { useMutation } from "urql";
import {
  FormDialog,
  NO_ERRORS,
  formErrors,
  useOnOpen,
  type FormErrors,
} from "../components/dialogs";
import { TextField } from "../components/ui";
import type { ContactFilter } from "../gql/schema";
import { ALL_CONTEXT } from "../lib/client";
import { CreateSegmentDocument, UpdateSegmentDocument } from "./segments.generated";

/** Save the list's filter and search as a segment, or rename a segment. */
export function SegmentNameDialog({
  open,
  onOpenChange,
  segment,
  filter,
  search,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  segment?: { id: string; name: string };
  filter?: ContactFilter;
  search?: string | null;
  onSaved: (segment: { id: string; name: string }) => void;
}) {
  const uid = useId();
  const [name, setName] = useState(segment?.name ?? "");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching: creating }, create] = useMutation(CreateSegmentDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateSegmentDocument);

  useOnOpen(open, () => {
    setName(segment?.name ?? "");
    setErrors(NO_ERRORS);
  });

  async function save() {
    const result = segment
      ? await update({ input: { id: segment.id, name } }, ALL_CONTEXT)
      : await create({ input: { name, filter, search: search || null } }, ALL_CONTEXT);
    const payload =
      result.data && ("updateSegment" in result.data ? result.data.updateSegment : result.data.createSegment);
    if (payload?.segment && payload.errors.length === 0) {
      onSaved(payload.segment);
      onOpenChange(false);
    } else {
      setErrors(formErrors(result, payload, ["name"], "Could not save the segment."));
    }
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={segment ? `Rename ${segment.name}` : "Save as segment"}
      description={
        segment ? undefined : (
          <p>The segment keeps these filters and search; its contacts are worked out each time it is opened.</p>
        )
      }
      submitLabel={segment ? "Rename" : "Save segment"}
      busy={creating || updating}
      errors={errors.general}
      onSubmit={() => void save()}
    >
      <TextField
        id={`${uid}-name`}
        label="Segment name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoFocus
        maxLength={100}
      />
    </FormDialog>
  );
}
