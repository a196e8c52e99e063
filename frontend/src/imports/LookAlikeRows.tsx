import { Link } from "react-router";
import { reasonsInWords } from "../duplicates/reasons";
import { contactPath, plural } from "../lib/format";
import type { ImportJobFieldsFragment } from "./imports.generated";

type Preview = NonNullable<ImportJobFieldsFragment["preview"]>;

/**
 * The rows that would create a contact looking like a saved one, even with another email:
 * a warning, not a refusal (they are imported, and then wait on the review list as pairs).
 */
export function LookAlikeRows({ preview }: { preview: Preview }) {
  const { possibleDuplicateRows: total, possibleDuplicates: listed } = preview;
  if (total === 0) return null;
  const caption = "Rows that look like contacts already in the CRM";
  return (
    <section className="row-errors look-alikes" aria-label={caption}>
      <h3>{caption}</h3>
      <p className="notice notice-warning">
        {total === 1
          ? "1 row looks like a contact already in the CRM by its phone number or name, though not its email. It will " +
            "still be imported as a new contact; the pair then waits among the possible duplicates, to merge or dismiss."
          : `${total.toLocaleString()} rows look like contacts already in the CRM by their phone number or name, though ` +
            "not their email. They will still be imported as new contacts; each pair then waits among the possible " +
            "duplicates, to merge or dismiss."}
      </p>
      <div className="table-wrap">
        <table className="table cards">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">In the file</th>
              <th scope="col">Looks like</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((alike) => (
              <tr key={alike.row}>
                <th scope="row" className="nowrap">
                  Row {alike.row}
                </th>
                <td data-label="In the file">
                  {alike.name ?? <span className="subtle">—</span>}
                  {alike.email && <span className="subtle"> · {alike.email}</span>}
                </td>
                <td data-label="Looks like">
                  {alike.contact ? (
                    <>
                      {/* A new tab: the wizard stays where it is. */}
                      <Link to={contactPath(alike.contact.id)} target="_blank" rel="noopener">
                        {alike.contact.fullName}
                        <span className="visually-hidden"> (opens in a new tab)</span>
                      </Link>
                      {alike.contact.company && ` at ${alike.contact.company.name}`}
                      {alike.contact.email && <span className="subtle"> · {alike.contact.email}</span>}
                    </>
                  ) : (
                    <span className="subtle">A contact since deleted</span>
                  )}
                </td>
                <td data-label="Why">
                  <ul className="plain-list">
                    {reasonsInWords(alike.reasons).map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > listed.length && (
        <p className="hint">
          The first {listed.length} of {plural(total, "row")}.
        </p>
      )}
    </section>
  );
}
