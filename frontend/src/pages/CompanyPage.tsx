import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Badge, Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { CONTACT_TYPES, contactPath, countryName, formatDateTime } from "../lib/format";
import { DeleteCompany, SetPrimaryContact } from "../lib/mutations";

const CompanyDetail = graphql(`
  query CompanyDetail($id: ID!) {
    company(id: $id) {
      id
      name
      website
      industry
      notes
      createdAt
      updatedAt
      contactCount
      phone {
        international
      }
      address {
        line1
        line2
        city
        region
        postalCode
        country
      }
      primaryContact {
        id
        fullName
      }
      contacts(first: 100) {
        totalCount
        edges {
          node {
            id
            fullName
            jobTitle
            email
            type
            isPrimaryContact
          }
        }
      }
    }
  }
`);

export function CompanyPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: CompanyDetail,
    variables: { id },
    requestPolicy: "cache-and-network",
    context,
  });
  const company = data?.company;
  useTitle(company?.name ?? "Company");
  const saved = (location.state as { saved?: boolean } | null)?.saved;
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(
    saved ? { tone: "ok", text: "Company saved." } : null,
  );
  const [{ fetching: settingPrimary }, setPrimary] = useMutation(SetPrimaryContact);
  const [{ fetching: deleting }, remove] = useMutation(DeleteCompany);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (error && !data) return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!data && fetching) return <Loading label="Loading company…" />;
  if (!company) {
    return (
      <>
        <PageHeader title="Company not found" />
        <p>
          This company does not exist or was deleted. <Link to="/companies">Back to companies</Link>
        </p>
      </>
    );
  }

  const contacts = company.contacts.edges.map((e) => e.node);
  const a = company.address;
  const addressLines = a
    ? [a.line1, a.line2, [a.city, a.region].filter(Boolean).join(", "), a.postalCode, countryName(a.country)].filter(Boolean)
    : [];
  const addContact = `/contacts/new?companyId=${encodeURIComponent(company.id)}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/companies">← Companies</Link>
      </p>
      <PageHeader
        title={company.name}
        actions={
          <>
            <Link className="button button-primary" to={addContact}>
              Add contact
            </Link>
            <ActionsMenu
              actions={[
                { label: "Edit", onSelect: () => navigate(`${location.pathname}/edit`) },
                {
                  label: "Delete company…",
                  danger: true,
                  separatorBefore: true,
                  onSelect: () => {
                    setDeleteError(null);
                    setDeleteOpen(true);
                  },
                },
              ]}
            />
          </>
        }
      >
        <p className="subtle">{company.industry || "Company"}</p>
      </PageHeader>
      <div aria-live="polite">
        {notice && (
          <p className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`} role="status">
            {notice.text}
          </p>
        )}
      </div>
      <div className="detail-grid">
        <section className="card" aria-labelledby="company-details">
          <h2 id="company-details">Details</h2>
          <dl className="details">
            <dt>Website</dt>
            <dd>
              {company.website ? (
                <a href={company.website} target="_blank" rel="noreferrer noopener">
                  {company.website}
                </a>
              ) : (
                "—"
              )}
            </dd>
            <dt>Industry</dt>
            <dd>{company.industry || "—"}</dd>
            <dt>Phone</dt>
            <dd>{company.phone?.international ?? "—"}</dd>
            <dt>Address</dt>
            <dd>
              {addressLines.length
                ? addressLines.map((line) => <div key={line}>{line}</div>)
                : "—"}
            </dd>
            <dt>Primary contact</dt>
            <dd>
              {company.primaryContact ? (
                <Link to={contactPath(company.primaryContact.id)}>{company.primaryContact.fullName}</Link>
              ) : (
                "None"
              )}
            </dd>
            <dt>Notes</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{company.notes || "—"}</dd>
            <dt>Added</dt>
            <dd>{formatDateTime(company.createdAt)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="company-contacts">
          <h2 id="company-contacts">
            Contacts <span className="subtle">({company.contactCount})</span>
          </h2>
          {contacts.length === 0 ? (
            <Empty>
              <p>
                No contacts yet. <Link to={addContact}>Add a contact</Link>
              </p>
            </Empty>
          ) : (
            <ul className="plain-list company-contacts">
              {contacts.map((c) => (
                <li key={c.id}>
                  <div className="who">
                    <span>
                      <Link to={contactPath(c.id)}>{c.fullName}</Link>
                      {c.isPrimaryContact && (
                        <>
                          {" "}
                          <Badge tone="info">Primary contact</Badge>
                        </>
                      )}
                    </span>
                    <span className="subtle">
                      {[c.jobTitle, CONTACT_TYPES[c.type], c.email].filter(Boolean).join(" · ")}
                    </span>
                  </div>
                  {!c.isPrimaryContact && (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={settingPrimary}
                      aria-label={`Set ${c.fullName} as primary contact`}
                      onClick={async () => {
                        const result = await setPrimary({ input: { contactId: c.id } }, context);
                        const errors = result.data?.setPrimaryContact.errors;
                        setNotice(
                          errors && errors.length === 0
                            ? { tone: "ok", text: `${c.fullName} is now the primary contact.` }
                            : {
                                tone: "error",
                                text:
                                  errors?.map((e) => e.message).join(" ") ??
                                  result.error?.message ??
                                  "Could not set the primary contact.",
                              },
                        );
                      }}
                    >
                      Set as primary
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {company.contacts.totalCount > contacts.length && (
            <p>
              <Link to={`/contacts?company=${encodeURIComponent(company.id)}`}>
                See all {company.contacts.totalCount} contacts
              </Link>
            </p>
          )}
        </section>
      </div>
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete ${company.name}?`}
        description={<p>The company is deleted. Its contacts are kept as individual customers.</p>}
        confirmText={company.name}
        confirmLabel="Delete company"
        busy={deleting}
        error={deleteError}
        onConfirm={async () => {
          const result = await remove({ input: { id: company.id } }, context);
          const payload = result.data?.deleteCompany;
          if (payload && payload.errors.length === 0) {
            setDeleteOpen(false);
            navigate("/companies", { replace: true });
          } else {
            setDeleteError(
              payload?.errors.map((e) => e.message).join(" ") ?? result.error?.message ?? "Could not delete.",
            );
          }
        }}
      />
    </>
  );
}
