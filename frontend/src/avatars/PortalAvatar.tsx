import { useState } from "react";
import { useMutation } from "urql";
import { mutationProblem } from "../lib/problems";
import { RemoveMyAvatarDocument } from "./avatars.generated";
import { AvatarEditor } from "./AvatarEditor";
import { uploadAvatar } from "./upload";

/** The portal's "Your picture": the signed-in contact changes or removes their own avatar. */
export function PortalAvatar({
  contactId,
  name,
  url,
}: {
  contactId: string;
  name: string;
  url: string | null | undefined;
}) {
  const [current, setCurrent] = useState(url ?? null);
  const [, removeMine] = useMutation(RemoveMyAvatarDocument);

  async function save(file: File) {
    const answer = await uploadAvatar(contactId, file);
    if (typeof answer === "string") return answer;
    setCurrent(answer.avatarUrl);
    return null;
  }

  async function remove() {
    const result = await removeMine({});
    const problem = mutationProblem(result, result.data?.removeMyAvatar, "Could not remove your picture.");
    if (!problem) setCurrent(null);
    return problem;
  }

  return (
    <section className="card portal-avatar" aria-labelledby="portal-avatar-title">
      <h2 id="portal-avatar-title">Your picture</h2>
      <AvatarEditor name={name} url={current} save={save} remove={remove} />
    </section>
  );
}
