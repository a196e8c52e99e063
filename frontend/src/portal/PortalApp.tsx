import { lazy, Suspense, useEffect } from "react";
import { Link, Navigate, Outlet, Route, Routes, useLocation } from "react-router";
import { useQuery } from "urql";
import { SignOutButton } from "../components/SignOutButton";
import { Loading, PageLoading } from "../components/Loading";
import { useAuth } from "../lib/auth";
import { PortalActivate } from "./PortalActivate";
import { PortalForgot, PortalLogin, PortalReset } from "./PortalAuth";
import { PortalNav } from "./PortalNav";
import { PortalInfoDocument } from "./portal.generated";
import { isViewingAs, PortalViewAs, ViewAsBanner } from "./ViewAs";

// The profile form carries the phone-number metadata: the sign-in pages do without it.
const PortalProfile = lazy(() => import("./PortalProfile").then((m) => ({ default: m.PortalProfile })));
const PortalInbox = lazy(() => import("./PortalInbox").then((m) => ({ default: m.PortalInbox })));

/** The organisation's name for the portal's header; a neutral title until it is known. */
export function useOrganisationName(): string {
  const [{ data }] = useQuery({ query: PortalInfoDocument, requestPolicy: "cache-first" });
  return data?.portalInfo.organisationName ?? "";
}

function useOrganisationLogo(): string | null {
  const [{ data }] = useQuery({ query: PortalInfoDocument, requestPolicy: "cache-first" });
  return data?.portalInfo.logoUrl ?? null;
}

export function usePortalTitle(title: string) {
  const organisation = useOrganisationName();
  const suffix = organisation ? `${organisation} client portal` : "Client portal";
  useEffect(() => {
    document.title = title ? `${title} · ${suffix}` : suffix;
  }, [title, suffix]);
}

function PortalLayout() {
  const auth = useAuth();
  const organisation = useOrganisationName();
  const logoUrl = useOrganisationLogo();
  const viewingAs = isViewingAs() && auth.portalUser !== null;
  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {viewingAs && <ViewAsBanner />}
      <header className="portal-header">
        <div className="portal-header-inner">
          <Link to={auth.portalUser ? "/portal" : "/portal/login"} className="portal-brand">
            {logoUrl && <img className="portal-logo" src={logoUrl} alt="" />}
            {organisation || "Client portal"}
            {organisation && <span className="portal-brand-sub">Client portal</span>}
          </Link>
          {auth.portalUser && !viewingAs && <SignOutButton />}
        </div>
        {auth.portalUser && <PortalNav />}
      </header>
      <main id="main" className="portal-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

function RequirePortal() {
  const auth = useAuth();
  const location = useLocation();
  if (auth.signedIn === null) return <PageLoading />;
  // Signing in comes back here (the inbox link in a "new message" email).
  if (!auth.portalUser && isViewingAs()) return <Navigate to="/portal/view-as" replace />;
  if (!auth.portalUser) return <Navigate to="/portal/login" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

function PortalNotFound() {
  usePortalTitle("Not found");
  return (
    <div className="portal-card">
      <h1>Page not found</h1>
      <p>
        There is nothing here. <Link to="/portal">Go to your details</Link>.
      </p>
    </div>
  );
}

/** Everything under /portal: its own layout, loaded only when a portal page is opened. */
export default function PortalApp() {
  return (
    <Routes>
      <Route element={<PortalLayout />}>
        <Route path="activate" element={<PortalActivate />} />
        <Route path="login" element={<PortalLogin />} />
        <Route path="forgot" element={<PortalForgot />} />
        <Route path="reset" element={<PortalReset />} />
        <Route path="view-as" element={<PortalViewAs />} />
        <Route element={<RequirePortal />}>
          <Route index element={<PortalProfile />} />
          <Route path="messages" element={<PortalInbox />} />
        </Route>
        <Route path="*" element={<PortalNotFound />} />
      </Route>
    </Routes>
  );
}
