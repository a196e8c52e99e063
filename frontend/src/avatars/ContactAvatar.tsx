import { useState } from "react";
import { useMutation } from "urql";
import { ALL_CONTEXT } from "../lib/client";
import { mutationProblem } from "../lib/problems";
import { RemoveAvatarDocument } from "./avatars.generated";
import { AvatarEditor } from "./AvatarEditor";
import { uploadAvatar } from "./upload";

/**
 * Staff changing a saved contact's avatar: sent as soon as it is picked or dropped,
 * then `onChanged` (so the page reads the contact again).
 */
export function ContactAvatar({
  contactId,
  name,
  url,
  onChanged,
}: {
  contactId: string;
  name: string;
  url: string | null | undefined;
  onChanged?: () => void;
}) {
  // The server's answer shows at once, before the contact is read again.
  const [current, setCurrent] = useState(url ?? null);
  const [, removeAvatar] = useMutation(RemoveAvatarDocument);

  async function save(file: File) {
    const answer = await uploadAvatar(contactId, file);
    if (typeof answer === "string") return answer;
    setCurrent(answer.avatarUrl);
    onChanged?.();
    return null;
  }

  async function remove() {
    const result = await removeAvatar({ input: { contactId } }, ALL_CONTEXT);
    const problem = mutationProblem(result, result.data?.removeAvatar, "Could not remove the picture.");
    if (!problem) {
      setCurrent(null);
      onChanged?.();
    }
    return problem;
  }

  return <AvatarEditor name={name} url={current} save={save} remove={remove} />;
}
