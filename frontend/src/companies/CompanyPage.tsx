import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Badge, Empty, NoticeBar, PageHeader, noticeOf, useTitle, type Notice } from "../components/ui";
import { SetPrimaryContactDocument } from "../contacts/contacts.generated";
import { ALL_CONTEXT } from "../lib/client";
import { CONTACT_TYPES, addressLines, contactPath, formatDateTime } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import { ProductChips } from "../products/ProductPicker";
import { ownerName } from "../staff/OwnerSelect";
import { TasksSection } from "../tasks/TasksSection";
import { TimelineSection } from "../timeline/TimelineSection";
import { CompanyDetailDocument, DeleteCompanyDocument, type CompanyDetailQuery } from "./companies.generated";

type Company = NonNullable<CompanyDetailQuery["company"]>;

export function CompanyPage() {
  const { id = "" } = useParams();
  const query = usePageQuery(CompanyDetailDocument, { id });
  useTitle(query[0].data?.company?.name ?? "Company");
  return (
    <RecordState query={query} what="company" list="/companies" select={(d) => d.company}>
      {(company) => <CompanyView key={company.id} company={company} />}
    </RecordState>
  );
}

function CompanyView({ company }: { company: Company }) {
  const navigate = useNavigate();
  const location = useLocation();
  const saved = (location.state as { saved?: boolean } | null)?.saved;
  const [notice, setNotice] = useState<Notice | null>(saved ? { tone: "ok", text: "Company saved." } : null);
  const [{ fetching: settingPrimary }, setPrimary] = useMutation(SetPrimaryContactDocument);
  const [, remove] = useMutation(DeleteCompanyDocument);
  const [deleteOpen, setDeleteOpen] = useState(false);

  const contacts = company.contacts.edges.map((e) => e.node);
  const lines = addressLines(company.address);
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
                  onSelect: () => setDeleteOpen(true),
                },
              ]}
            />
          </>
        }
      >
        <p className="subtle">{company.industry || "Company"}</p>
      </PageHeader>
      <NoticeBar notice={notice} />
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
            <dt>Owner</dt>
            <dd>{company.owner ? ownerName(company.owner) : "Nobody"}</dd>
            <dt>Phone</dt>
            <dd>{company.phone?.international ?? "—"}</dd>
            <dt>Address</dt>
            <dd>{lines.length ? lines.map((line) => <div key={line}>{line}</div>) : "—"}</dd>
            <dt>Primary contact</dt>
            <dd>
              {company.primaryContact ? (
                <Link to={contactPath(company.primaryContact.id)}>{company.primaryContact.fullName}</Link>
              ) : (
                "None"
              )}
            </dd>
            <dt>Products</dt>
            <dd>
              <ProductChips products={company.products} label="Products this company uses" />
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
                        const result = await setPrimary({ input: { contactId: c.id } }, ALL_CONTEXT);
                        const problem = mutationProblem(
                          result,
                          result.data?.setPrimaryContact,
                          "Could not set the primary contact.",
                        );
                        setNotice(noticeOf(problem, `${c.fullName} is now the primary contact.`));
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
        <TasksSection subject={{ kind: "company", id: company.id, name: company.name }} />
        <TimelineSection subject="company" subjectId={company.id} />
      </div>
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete ${company.name}?`}
        description={<p>The company is deleted. Its contacts are kept as individual customers.</p>}
        confirmText={company.name}
        confirmLabel="Delete company"
        action={async () => {
          const result = await remove({ input: { id: company.id } }, ALL_CONTEXT);
          return mutationProblem(result, result.data?.deleteCompany, "Could not delete.");
        }}
        onDone={() => navigate("/companies", { replace: true })}
      />
    </>
  );
}
