import { useId, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { collectErrors, companyPath, type FieldErrors } from "../lib/format";
import { useAppSettings } from "../lib/settings";
import { defaultPhoneCountry, formatAsTyped, isPhoneCountry, phoneCountries } from "../lib/phones";

const CompanyForEdit = graphql(`
  query CompanyForEdit($id: ID!) {
    company(id: $id) {
      id
      name
      website
      industry
      notes
      phone {
        national
        country
      }
      address {
        line1
        line2
        city
        region
        postalCode
        country
      }
    }
  }
`);

const CreateCompany = graphql(`
  mutation CreateCompany($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      company {
        id
        name
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const UpdateCompany = graphql(`
  mutation UpdateCompany($input: UpdateCompanyInput!) {
    updateCompany(input: $input) {
      company {
        id
        name
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

type State = {
  name: string;
  website: string;
  industry: string;
  notes: string;
  phone: string;
  phoneCountry: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
};

export function CompanyForm() {
  const { id } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: CompanyForEdit,
    variables: { id: id ?? "" },
    pause: !id,
    requestPolicy: "network-only",
  });
  const settings = useAppSettings();
  if (!settings) return <Loading />;
  const country = defaultPhoneCountry(settings.defaultCountry);
  if (!id) {
    return (
      <CompanyFormBody
        heading="New company"
        initial={{
          name: "",
          website: "",
          industry: "",
          notes: "",
          phone: "",
          phoneCountry: country,
          line1: "",
          line2: "",
          city: "",
          region: "",
          postalCode: "",
          country: "",
        }}
      />
    );
  }
  if (error && !data) return <ErrorState error={error} retry={() => refetch()} />;
  if (fetching || !data) return <Loading label="Loading company…" />;
  const c = data.company;
  if (!c) return <PageHeader title="Company not found" />;
  return (
    <CompanyFormBody
      key={c.id}
      companyId={c.id}
      heading={`Edit ${c.name}`}
      initial={{
        name: c.name,
        website: c.website ?? "",
        industry: c.industry ?? "",
        notes: c.notes ?? "",
        phone: c.phone?.national ?? "",
        phoneCountry: c.phone?.country ?? country,
        line1: c.address?.line1 ?? "",
        line2: c.address?.line2 ?? "",
        city: c.address?.city ?? "",
        region: c.address?.region ?? "",
        postalCode: c.address?.postalCode ?? "",
        country: c.address?.country ?? "",
      }}
    />
  );
}

const TEXT_FIELDS: [keyof State, string, string][] = [
  ["website", "Website", "website"],
  ["industry", "Industry", "industry"],
];

const ADDRESS_FIELDS: [keyof State, string, string][] = [
  ["line1", "Address line 1", "address.line1"],
  ["line2", "Address line 2", "address.line2"],
  ["city", "Town or city", "address.city"],
  ["region", "County, state or region", "address.region"],
  ["postalCode", "Postcode", "address.postalCode"],
  ["country", "Country code", "address.country"],
];

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
  const [{ fetching: creating }, create] = useMutation(CreateCompany);
  const [{ fetching: updating }, update] = useMutation(UpdateCompany);
  const saving = creating || updating;
  const set = (key: keyof State, value: string) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const t = (v: string) => v.trim() || null;
    const hasAddress = [form.line1, form.line2, form.city, form.region, form.postalCode, form.country].some((v) => v.trim());
    const fields = {
      name: form.name,
      website: t(form.website),
      industry: t(form.industry),
      notes: t(form.notes),
      phone: t(form.phone),
      phoneCountry: form.phone.trim() ? form.phoneCountry : null,
      address:
        hasAddress || companyId
          ? {
              line1: t(form.line1),
              line2: t(form.line2),
              city: t(form.city),
              region: t(form.region),
              postalCode: t(form.postalCode),
              country: t(form.country.toUpperCase()),
            }
          : null,
    };
    const options = { additionalTypenames: ALL_TYPENAMES };
    const result = companyId
      ? await update({ input: { id: companyId, ...fields } }, options)
      : await create({ input: fields }, options);
    const payload =
      result.data && ("createCompany" in result.data
        ? result.data.createCompany
        : "updateCompany" in result.data
          ? result.data.updateCompany
          : null);
    if (payload?.company && payload.errors.length === 0) {
      navigate(companyPath(payload.company.id), { state: { saved: true } });
      return;
    }
    if (payload) {
      const collected = collectErrors(payload.errors);
      const known = new Set(["name", "website", "industry", "notes", "phone", "phoneCountry", ...ADDRESS_FIELDS.map((f) => f[2])]);
      const fields: FieldErrors = {};
      const other = [...collected.general];
      for (const [key, message] of Object.entries(collected.fields)) {
        if (known.has(key)) fields[key] = message;
        else other.push(message);
      }
      setErrors(fields);
      setGeneral(other);
    } else {
      setErrors({});
      setGeneral([result.error ? `Could not save: ${result.error.message}` : "Could not save."]);
    }
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  const errorCount = Object.keys(errors).length + general.length;
  const input = (key: keyof State, label: string, errorKey: string, required = false) => {
    const id = `${uid}-${key}`;
    const error = errors[errorKey];
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>
          {label}
          {required && (
            <>
              {" "}
              <span className="required-mark" aria-hidden="true">
                *
              </span>
            </>
          )}
        </label>
        <input
          id={id}
          type={key === "website" ? "url" : "text"}
          autoComplete="off"
          value={form[key]}
          aria-required={required || undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    );
  };
  const phoneError = errors.phone ?? errors.phoneCountry;
  const phoneCountry = isPhoneCountry(form.phoneCountry) ? form.phoneCountry : "GB";

  return (
    <>
      <p className="breadcrumb">
        <Link to={companyId ? companyPath(companyId) : "/companies"}>
          ← {companyId ? "Back to company" : "Companies"}
        </Link>
      </p>
      <PageHeader title={heading} />
      <form className="form" onSubmit={submit} noValidate aria-label={heading}>
        <div ref={summaryRef} tabIndex={-1} aria-live="assertive">
          {errorCount > 0 && (
            <div className="notice notice-error" role="alert">
              <strong>
                {errorCount === 1 ? "Please correct the problem below." : `Please correct the ${errorCount} problems below.`}
              </strong>
              {general.length > 0 && (
                <ul>
                  {general.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        <fieldset className="card">
          <legend>Company</legend>
          <div className="form-grid">
            <div className="span-2">{input("name", "Name", "name", true)}</div>
            {TEXT_FIELDS.map(([key, label, errorKey]) => input(key, label, errorKey))}
            <div className="field">
              <label htmlFor={`${uid}-phoneCountry`}>Phone country</label>
              <select
                id={`${uid}-phoneCountry`}
                value={form.phoneCountry}
                onChange={(e) => set("phoneCountry", e.target.value)}
              >
                {phoneCountries().map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${uid}-phone`}>Phone</label>
              <input
                id={`${uid}-phone`}
                type="tel"
                autoComplete="off"
                value={form.phone}
                aria-invalid={phoneError ? true : undefined}
                aria-describedby={phoneError ? `${uid}-phone-error` : undefined}
                onChange={(e) => {
                  const next = formatAsTyped(form.phone, e.target.value, phoneCountry);
                  setForm((f) => ({ ...f, phone: next.text, phoneCountry: next.country }));
                }}
              />
              {phoneError && (
                <p className="field-error" id={`${uid}-phone-error`}>
                  {phoneError}
                </p>
              )}
            </div>
            <div className="field span-2">
              <label htmlFor={`${uid}-notes`}>Notes</label>
              <textarea
                id={`${uid}-notes`}
                rows={4}
                value={form.notes}
                aria-invalid={errors.notes ? true : undefined}
                onChange={(e) => set("notes", e.target.value)}
              />
              {errors.notes && <p className="field-error">{errors.notes}</p>}
            </div>
          </div>
        </fieldset>
        <fieldset className="card">
          <legend>Address</legend>
          <div className="form-grid">
            {ADDRESS_FIELDS.map(([key, label, errorKey]) => input(key, label, errorKey))}
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? "Saving…" : companyId ? "Save changes" : "Create company"}
          </button>
          <Link className="button" to={companyId ? companyPath(companyId) : "/companies"}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
