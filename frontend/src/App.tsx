import { lazy, Suspense } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { PageLoading } from "./components/Loading";
import { AuthProvider } from "./lib/auth";
import { page } from "./lib/lazyPage";

const SignIn = page(() => import("./staff/SignIn"), "SignIn");
const Setup = page(() => import("./staff/Setup"), "Setup");
const Join = page(() => import("./staff/Join"), "Join");
const ForgotPassword = page(() => import("./staff/PasswordReset"), "ForgotPassword");
const ResetPassword = page(() => import("./staff/PasswordReset"), "ResetPassword");
// The client portal: its own layout and pages, never loaded by staff.
const PortalApp = lazy(() => import("./portal/PortalApp"));
// The staff app (its frame, the search shortcut, the table of its pages): a chunk the portal
// never loads. Elsewhere it is asked for at once, so it arrives while the session is checked
// (which the first page waits for anyway) or while one signs in, not after.
const loadStaffApp = () => import("./StaffApp");
if (!window.location.pathname.startsWith("/portal")) void loadStaffApp();
const StaffApp = lazy(loadStaffApp);

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Suspense fallback={<PageLoading />}>
          <Routes>
            <Route path="/sign-in" element={<SignIn />} />
            <Route path="/setup" element={<Setup />} />
            <Route path="/join" element={<Join />} />
            <Route path="/forgot-password" element={<ForgotPassword />} />
            <Route path="/reset-password" element={<ResetPassword />} />
            <Route path="/portal/*" element={<PortalApp />} />
            <Route path="/*" element={<StaffApp />} />
          </Routes>
        </Suspense>
      </AuthProvider>
    </BrowserRouter>
  );
}
