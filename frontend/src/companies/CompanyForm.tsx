import { useId, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import {
  ADDRESS_ERROR_KEYS,
  AddressFields,
  addressInput,
  addressValues,
  type AddressValues,
} from "../components/AddressFields";
import { RecordState } from "../components/QueryState";
import { Loading } from "../components/Loading";
import { ErrorSummary, FormActions, Field, PageHeader, TextField, describedBy, useTitle } from "../components/ui";
import { useAuth } from "../lib/auth";
import { ALL_CONTEXT } from "../lib/client";
import { collectErrors, companyPath, type FieldErrors } from "../lib/format";
import { defaultPhoneCountry, formatAsTyped, isPhoneCountry, phoneCountries } from "../lib/phones";
import { useAppSettings } from "../lib/settings";
import { ProductPicker, type ProductRef } from "../products/ProductPicker";
import { OwnerSelect, ownerOf, type OwnerRef } from "../staff/OwnerSelect";
import {
  CompanyForEditDocument,
  CreateCompanyDocument,
  UpdateCompanyDocument,
  type CompanyForEditQuery,
} from "./companies.generated";

type State = {
  name: string;
  website: string;
  industry: string;
  notes: string;
  phone: string;
  phoneCountry: string;
  address: AddressValues;
  products: ProductRef[];
  owner: OwnerRef | null;
};

const SHOWN = new Set([
  "name",
  "website",
  "industry",
  "notes",
  "phone",
  "phoneCountry",
  "productIds",
  "ownerId",
  ...ADDRESS_ERROR_KEYS,
]);

/** The form's values: a saved company's, or a new one's, owned by whoever creates it (`owner`). */
function companyState(
  company: NonNullable<CompanyForEditQuery["company"]> | null,
  country: string,
  owner: OwnerRef | null = null,
): State {
  return {
    name: company?.name ?? "",
    website: company?.website ?? "",
    industry: company?.industry ?? "",
    notes: company?.notes ?? "",
    phone: company?.phone?.national ?? "",
    phoneCountry: company?.phone?.country ?? country,
    address: addressValues(company?.address),
    products: [...(company?.products ?? [])],
    owner: company ? company.owner : owner,
  };
}

/** New company (`/companies/new`) or edit (`/companies/:id/edit`). */
export function CompanyForm() {
  const { id } = useParams();
  const query = useQuery({
    query: CompanyForEditDocument,
    variables: { id: id ?? "" },
    pause: !id,
    requestPolicy: "network-only",
  });
  const settings = useAppSettings();
  const { user } = useAuth();
  if (!settings) return <Loading />;
  const country = defaultPhoneCountry(settings.defaultCountry);
  if (!id) return <CompanyFormBody heading="New company" initial={companyState(null, country, ownerOf(user))} />;
  return (
    <RecordState query={query} what="company" list="/companies" select={(d) => d.company}>
      {(company) => (
        <CompanyFormBody
          key={company.id}
          companyId={company.id}
          heading={`Edit ${company.name}`}
          initial={companyState(company, country)}
        />
      )}
    </RecordState>
  );
}

function CompanyFormBody({
  companyId,
  heading,
  initial,
}: {
  companyId?: string;
  heading: string;
  initial: State;
}) {
  useTitle(heading);
  const uid = useId();
  const navigate = useNavigate();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [{ fetching: creating }, create] = useMutation(CreateCompanyDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateCompanyDocument);
  const saving = creating || updating;
  const set = (key: Exclude<keyof State, "address" | "products">, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const back = companyId ? companyPath(companyId) : "/companies";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = (v: string) => v.trim() || null;
    const fields = {
      name: form.name,
      website: text(form.website),
      industry: text(form.industry),
      notes: text(form.notes),
      phone: text(form.phone),
      phoneCountry: form.phone.trim() ? form.phoneCountry : null,
      address: addressInput(form.address, Boolean(companyId)),
      productIds: form.products.map((p) => p.id),
      ownerId: form.owner?.id ?? null,
    };
    const result = companyId
      ? await update({ input: { id: companyId, ...fields } }, ALL_CONTEXT)
      : await create({ input: fields }, ALL_CONTEXT);
    const data = result.data;
    const payload = data && ("createCompany" in data ? data.createCompany : data.updateCompany);
    if (payload?.company && payload.errors.length === 0) {
      navigate(companyPath(payload.company.id), { state: { saved: true } });
      return;
    }
    const found = payload
      ? collectErrors(payload.errors, (key) => SHOWN.has(key))
      : { fields: {}, general: [result.error ? `Could not save: ${result.error.message}` : "Could not save."] };
    setErrors(found.fields);
    setGeneral(found.general);
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  const fid = (name: string) => `${uid}-${name}`;
  const phoneError = errors.phone ?? errors.phoneCountry;
  const phoneCountry = isPhoneCountry(form.phoneCountry) ? form.phoneCountry : "GB";

  return (
    <>
      <p className="breadcrumb">
        <Link to={back}>← {companyId ? "Back to company" : "Companies"}</Link>
      </p>
      <PageHeader title={heading} />
      <form className="form" onSubmit={submit} noValidate aria-label={heading}>
        <ErrorSummary ref={summaryRef} count={Object.keys(errors).length + general.length} general={general} />
        <fieldset className="card">
          <legend>Company</legend>
          <div className="form-grid">
            <TextField
              id={fid("name")}
              label="Name"
              required
              className="span-2"
              value={form.name}
              onChange={(value) => set("name", value)}
              error={errors.name}
            />
            <TextField
              id={fid("website")}
              label="Website"
              type="url"
              value={form.website}
              onChange={(value) => set("website", value)}
              error={errors.website}
            />
            <TextField
              id={fid("industry")}
              label="Industry"
              value={form.industry}
              onChange={(value) => set("industry", value)}
              error={errors.industry}
            />
            <Field id={fid("phoneCountry")} label="Phone country">
              <select
                id={fid("phoneCountry")}
                value={form.phoneCountry}
                onChange={(e) => set("phoneCountry", e.target.value)}
              >
                {phoneCountries().map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <TextField
              id={fid("phone")}
              label="Phone"
              type="tel"
              value={form.phone}
              error={phoneError}
              onChange={(value) => {
                const next = formatAsTyped(form.phone, value, phoneCountry);
                setForm((f) => ({ ...f, phone: next.text, phoneCountry: next.country }));
              }}
            />
            <OwnerSelect
              value={form.owner}
              onChange={(owner) => setForm((f) => ({ ...f, owner }))}
              error={errors.ownerId}
              what="company"
            />
            <Field id={fid("notes")} label="Notes" error={errors.notes} className="span-2">
              <textarea
                id={fid("notes")}
                rows={4}
                value={form.notes}
                aria-invalid={errors.notes ? true : undefined}
                aria-describedby={describedBy(fid("notes"), errors.notes)}
                onChange={(e) => set("notes", e.target.value)}
              />
            </Field>
            <div className="span-2">
              <ProductPicker
                value={form.products}
                onChange={(products) => setForm((f) => ({ ...f, products }))}
                error={errors.productIds}
              />
            </div>
          </div>
        </fieldset>
        <AddressFields
          idPrefix={uid}
          values={form.address}
          onChange={(address) => setForm((f) => ({ ...f, address }))}
          errors={errors}
        />
        <FormActions saving={saving} label={companyId ? "Save changes" : "Create company"} cancelTo={back} />
      </form>
    </>
  );
}
