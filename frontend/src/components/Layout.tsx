import { lazy, Suspense, useCallback, useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useQuery } from "urql";
import { useRefreshEvery } from "../lib/useRefreshEvery";
import { UnreadMessageCountDocument } from "../messages/unread.generated";
import { DuplicateCandidateCountDocument } from "../duplicates/count.generated";
import { MyDueTaskCountDocument } from "../tasks/count.generated";
import { useAuth } from "../lib/auth";
import { useAppSettings } from "../lib/settings";
import { useGlobalSearch } from "../search/GlobalSearch";
import { SignOutButton } from "./SignOutButton";
import { Loading } from "./Loading";

const MenuDrawer = lazy(() => import("./MenuDrawer"));

const NAV = [
  { to: "/home", label: "Home" },
  { to: "/tasks", label: "Tasks" },
  { to: "/contacts", label: "Contacts" },
  { to: "/companies", label: "Companies" },
  { to: "/products", label: "Products" },
  { to: "/groups", label: "Groups" },
  { to: "/segments", label: "Segments" },
  { to: "/campaigns", label: "Campaigns" },
  { to: "/invitations", label: "Invitations" },
  { to: "/messages", label: "Messages" },
  { to: "/duplicates", label: "Duplicates" },
];
const ADMIN_NAV = [
  { to: "/outbox", label: "Outbox" },
  { to: "/settings", label: "Settings" },
];

/** A navigation entry's count, read out as what it counts ("3 unread messages"); none at 0. */
function NavCount({ count, what }: { count: number; what: string }) {
  if (!count) return null;
  return (
    <>
      {" "}
      <span className="nav-badge">
        {count}
        <span className="visually-hidden"> {what}</span>
      </span>
    </>
  );
}

const UNREAD_CONTEXT = { additionalTypenames: ["Contact", "Message"] };

/** Beside Messages (and on the phone's Menu button): how many messages from contacts no staff
 * member has read yet. */
function UnreadMessages() {
  const [{ data }, refetch] = useQuery({ query: UnreadMessageCountDocument, context: UNREAD_CONTEXT });
  useRefreshEvery(60, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));
  const count = data?.unreadMessageCount ?? 0;
  return <NavCount count={count} what={`unread message${count === 1 ? "" : "s"}`} />;
}

const DUPLICATES_COUNT_CONTEXT = { additionalTypenames: ["Contact", "DuplicateCandidate"] };

/** Beside Duplicates: how many pairs of contacts wait for review. */
function DuplicateCount() {
  const [{ data }, refetch] = useQuery({ query: DuplicateCandidateCountDocument, context: DUPLICATES_COUNT_CONTEXT });
  useRefreshEvery(300, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));
  const count = data?.duplicateCandidateCount ?? 0;
  return <NavCount count={count} what={`possible duplicate${count === 1 ? "" : "s"} to review`} />;
}

const DUE_TASKS_CONTEXT = { additionalTypenames: ["Task"] };

/** Beside Tasks (and on the phone's Menu button): my open tasks due now or overdue. */
function DueTasks() {
  const [{ data }, refetch] = useQuery({ query: MyDueTaskCountDocument, context: DUE_TASKS_CONTEXT });
  // Tasks fall due as time passes, with no change to announce it: look again every minute.
  useRefreshEvery(60, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));
  const count = data?.myDueTaskCount ?? 0;
  return <NavCount count={count} what={`task${count === 1 ? "" : "s"} due`} />;
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const auth = useAuth();
  const items = auth.user?.role === "ADMIN" ? [...NAV, ...ADMIN_NAV] : NAV;
  return (
    <>
      <nav aria-label="Main">
        <ul className="nav-list">
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} className="nav-link" onClick={onNavigate}>
                {item.label}
                {item.to === "/messages" && <UnreadMessages />}
                {item.to === "/duplicates" && <DuplicateCount />}
                {item.to === "/tasks" && <DueTasks />}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="nav-user">
        <NavLink to="/profile" className="nav-profile" onClick={onNavigate} title={auth.user?.email}>
          <span className="nav-user-email">{auth.user?.name || auth.user?.email}</span>
          <span className="nav-profile-label">Your profile</span>
        </NavLink>
        <SignOutButton />
      </div>
    </>
  );
}

/** The organisation's logo (when it has one) and name. */
function Brand({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  return (
    <div className="brand">
      {logoUrl && <img className="brand-logo" src={logoUrl} alt="" />}
      {name}
    </div>
  );
}

/** The staff app's frame: the sidebar (a drawer on narrow screens) and the page. */
export function Layout() {
  const [menuOpen, setMenuOpen] = useState(false);
  // Follows a change in Settings at once: saving them refetches appSettings.
  const settings = useAppSettings();
  const organisation = settings?.organisationName ?? "";
  const brand = <Brand name={organisation} logoUrl={settings?.logoUrl ?? null} />;
  const close = () => setMenuOpen(false);
  const search = useGlobalSearch();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        {brand}
        {search.button}
        <Navigation />
      </aside>
      <header className="topbar">
        {brand}
        {search.button}
        <button
          type="button"
          className="button menu-button"
          aria-label="Open menu"
          aria-haspopup="dialog"
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen(true)}
        >
          <span aria-hidden="true">☰</span> Menu
          <UnreadMessages />
          <DueTasks />
        </button>
        {menuOpen && (
          <Suspense fallback={null}>
            <MenuDrawer title={organisation} onClose={close}>
              <Navigation onNavigate={close} />
            </MenuDrawer>
          </Suspense>
        )}
      </header>
      {search.palette}
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
