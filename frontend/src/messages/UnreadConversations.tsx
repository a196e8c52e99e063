import { Link, useSearchParams } from "react-router";
import { Avatar } from "../avatars/Avatar";
import { ListPage } from "../components/ListPage";
import { usePageQuery } from "../components/QueryState";
import { Badge } from "../components/ui";
import { contactPath, plural } from "../lib/format";
import { UnreadConversationsDocument } from "./messages.generated";

const PAGE_SIZE = 25;
const context = { additionalTypenames: ["Contact", "Message"] };

/** The navigation's Messages: the contacts whose replies no staff member has read yet. */
export function UnreadConversations() {
  const [params] = useSearchParams();
  const query = usePageQuery(
    UnreadConversationsDocument,
    { first: PAGE_SIZE, after: params.get("after") || null },
    context,
  );
  return (
    <ListPage
      title="Unread messages"
      noun={["contact with unread messages", "contacts with unread messages"]}
      filtered={false}
      toolbar={null}
      query={query}
      connection={(data) => data.unreadConversations}
      empty={<p>Every message from a contact has been read. Replies from the portal show up here.</p>}
      head={
        <>
          <th scope="col">Contact</th>
          <th scope="col">Company</th>
          <th scope="col">Unread</th>
        </>
      }
      cells={(contact) => (
        <>
          <th scope="row" className="col-name">
            <Avatar name={contact.fullName} url={contact.avatarThumbnailUrl} />
            <Link to={`${contactPath(contact.id)}#messages`}>{contact.fullName}</Link>
          </th>
          <td data-label="Company">{contact.company?.name ?? <span className="subtle">—</span>}</td>
          <td data-label="Unread">
            <Badge tone="warn">{plural(contact.unreadMessageCount, "message", "messages")}</Badge>
          </td>
        </>
      )}
    />
  );
}
