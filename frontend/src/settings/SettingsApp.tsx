import { lazy, Suspense } from "react";
import { NavLink, Route, Routes } from "react-router";
import { Loading } from "../components/Loading";
import { PageHeader, useTitle } from "../components/ui";
import { useAuth } from "../lib/auth";
import "./settings.css";

// Each tab its own chunk: only Organisation needs the countries (libphonenumber's metadata).
const OrganisationSettings = lazy(() =>
  import("./OrganisationSettings").then((m) => ({ default: m.OrganisationSettings })),
);
const MailSettings = lazy(() => import("./MailSettings").then((m) => ({ default: m.MailSettings })));
const StaffSettings = lazy(() => import("./StaffSettings").then((m) => ({ default: m.StaffSettings })));

const TABS = [
  { to: "/settings", label: "Organisation", end: true },
  { to: "/settings/mail", label: "Mail", end: false },
  { to: "/settings/staff", label: "Staff", end: false },
];

function AdminsOnly() {
  useTitle("Settings");
  return (
    <>
      <PageHeader title="Settings" />
      <div className="notice notice-warning" role="alert">
        Only administrators can see and change the settings and the staff accounts. Ask an administrator if
        something needs changing.
      </div>
    </>
  );
}

function SettingsNotFound() {
  return <p>There is no such settings page.</p>;
}

/** Everything under /settings (administrators only), loaded when first opened. */
export default function SettingsApp() {
  const auth = useAuth();
  if (auth.user?.role !== "ADMIN") return <AdminsOnly />;
  return (
    <>
      <PageHeader title="Settings" />
      <nav className="tabs" aria-label="Settings">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className="tab">
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={<OrganisationSettings />} />
          <Route path="mail" element={<MailSettings />} />
          <Route path="staff" element={<StaffSettings />} />
          <Route path="*" element={<SettingsNotFound />} />
        </Routes>
      </Suspense>
    </>
  );
}
