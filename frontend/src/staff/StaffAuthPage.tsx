import { useEffect, type ReactNode } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { StaffOrganisationDocument } from "./staff.generated";
import "./staff.css";

/** The organisation's name (portalInfo: known before signing in); "" until it has loaded. */
export function useStaffOrganisation(): string {
  return useStaffOrganisationInfo().name;
}

function useStaffOrganisationInfo(): { name: string; logoUrl: string | null } {
  const [{ data }] = useQuery({ query: StaffOrganisationDocument, requestPolicy: "cache-first" });
  return { name: data?.portalInfo.organisationName ?? "", logoUrl: data?.portalInfo.logoUrl ?? null };
}

/**
 * The frame of the pages a staff member sees signed out (sign in, forgot and reset password,
 * join, first run): the organisation's name over one card, which `children` brings.
 */
export function StaffAuthPage({
  title,
  named = true,
  children,
}: {
  title: string;
  /** False where the organisation is still to be named (the first run). */
  named?: boolean;
  children: ReactNode;
}) {
  const { name: organisation, logoUrl } = useStaffOrganisationInfo();
  useEffect(() => {
    document.title = `${title} · ${organisation || "CRM"}`;
  }, [title, organisation]);
  return (
    <main className="signin" id="main">
      <div className="signin-column">
        {named && logoUrl && <img className="signin-logo" src={logoUrl} alt="" />}
        {named && <p className="signin-brand">{organisation || "\u00a0"}</p>}
        {children}
      </div>
    </main>
  );
}

/** What a page behind an emailed link shows when the link no longer works. */
export function LinkGone({ title, children, links }: {
  title: string;
  children: ReactNode;
  links: { to: string; label: string }[];
}) {
  return (
    <div className="signin-card" role="alert">
      <h1>{title}</h1>
      {children}
      <p className="signin-links">
        {links.map((link) => (
          <Link key={link.to} to={link.to}>
            {link.label}
          </Link>
        ))}
      </p>
    </div>
  );
}

/** While a page asks the server whether its link still works. */
export function CheckingLink() {
  return (
    <div className="signin-card state" role="status">
      <span className="spinner" aria-hidden="true" />
      Checking your link…
    </div>
  );
}
