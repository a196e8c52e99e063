import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { AuthProvider, useAuth } from "./lib/auth";
import { CompaniesList } from "./pages/CompaniesList";
import { CompanyPage } from "./pages/CompanyPage";
import { ContactPage } from "./pages/ContactPage";
import { ContactsList } from "./pages/ContactsList";
import { GroupPage } from "./pages/GroupPage";
import { GroupsList } from "./pages/GroupsList";
import { InvitationsList } from "./pages/InvitationsList";
import { NotFound } from "./pages/NotFound";
import { SegmentPage } from "./pages/SegmentPage";
import { SegmentsList } from "./pages/SegmentsList";
import { SignIn } from "./pages/SignIn";
import { Loading } from "./components/ui";

// The forms carry the phone-number metadata: load them when first opened.
const ContactForm = lazy(() => import("./pages/ContactForm").then((m) => ({ default: m.ContactForm })));
const CompanyForm = lazy(() => import("./pages/CompanyForm").then((m) => ({ default: m.CompanyForm })));
const ImportWizard = lazy(() => import("./pages/ImportWizard").then((m) => ({ default: m.ImportWizard })));
const OutboxPage = lazy(() => import("./pages/OutboxPage").then((m) => ({ default: m.OutboxPage })));
// The client portal: its own layout and pages, never loaded by staff.
const PortalApp = lazy(() => import("./portal/PortalApp"));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function RequireStaff() {
  const auth = useAuth();
  const location = useLocation();
  if (auth.signedIn === null) {
    return (
      <div className="page-loading" role="status">
        Loading…
      </div>
    );
  }
  // A client signed in to the portal never sees (or briefly flashes) a staff page.
  if (auth.portalUser) return <Navigate to="/portal" replace />;
  if (!auth.signedIn) {
    return (
      <Navigate
        to="/sign-in"
        replace
        state={{ from: location.pathname + location.search }}
      />
    );
  }
  return <Outlet />;
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route
            path="/portal/*"
            element={
              <Suspense
                fallback={
                  <div className="page-loading" role="status">
                    Loading…
                  </div>
                }
              >
                <PortalApp />
              </Suspense>
            }
          />
          <Route element={<RequireStaff />}>
            <Route element={<Layout />}>
              <Route index element={<Navigate to="/contacts" replace />} />
              <Route path="contacts" element={<ContactsList />} />
              <Route path="contacts/new" element={<Lazy><ContactForm /></Lazy>} />
              <Route path="contacts/import" element={<Lazy><ImportWizard /></Lazy>} />
              <Route path="contacts/:id" element={<ContactPage />} />
              <Route path="contacts/:id/edit" element={<Lazy><ContactForm /></Lazy>} />
              <Route path="companies" element={<CompaniesList />} />
              <Route path="companies/new" element={<Lazy><CompanyForm /></Lazy>} />
              <Route path="companies/:id" element={<CompanyPage />} />
              <Route path="companies/:id/edit" element={<Lazy><CompanyForm /></Lazy>} />
              <Route path="groups" element={<GroupsList />} />
              <Route path="groups/:id" element={<GroupPage />} />
              <Route path="segments" element={<SegmentsList />} />
              <Route path="segments/:id" element={<SegmentPage />} />
              <Route path="invitations" element={<InvitationsList />} />
              <Route path="outbox" element={<Lazy><OutboxPage /></Lazy>} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
