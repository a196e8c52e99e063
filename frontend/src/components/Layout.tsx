import * as Dialog from "@radix-ui/react-dialog";
import { useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { useAuth } from "../lib/auth";

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      ok
      errors {
        message
      }
    }
  }
`);

const NAV = [
  { to: "/contacts", label: "Contacts" },
  { to: "/companies", label: "Companies" },
  { to: "/groups", label: "Groups" },
  { to: "/segments", label: "Segments" },
  { to: "/invitations", label: "Invitations" },
];
const ADMIN_NAV = [{ to: "/outbox", label: "Outbox" }];

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const auth = useAuth();
  const items = auth.user?.role === "ADMIN" ? [...NAV, ...ADMIN_NAV] : NAV;
  return (
    <ul className="nav-list">
      {items.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} className="nav-link" onClick={onNavigate}>
            {item.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

function SignOut() {
  const auth = useAuth();
  const [{ fetching }, logout] = useMutation(LogoutMutation);
  return (
    <div className="nav-user">
      <span className="nav-user-email" title={auth.user?.email}>
        {auth.user?.name || auth.user?.email}
      </span>
      <button
        type="button"
        className="button button-quiet"
        disabled={fetching}
        onClick={async () => {
          await logout({});
          auth.signedOut(false);
        }}
      >
        Sign out
      </button>
    </div>
  );
}

export function Layout() {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">CRM</div>
        <nav aria-label="Main">
          <NavLinks />
        </nav>
        <SignOut />
      </aside>
      <header className="topbar">
        <div className="brand">CRM</div>
        <Dialog.Root open={menuOpen} onOpenChange={setMenuOpen}>
          <Dialog.Trigger asChild>
            <button type="button" className="button menu-button" aria-label="Open menu">
              <span aria-hidden="true">☰</span> Menu
            </button>
          </Dialog.Trigger>
          <Dialog.Portal>
            <Dialog.Overlay className="drawer-overlay" />
            <Dialog.Content className="drawer" aria-describedby={undefined}>
              <div className="drawer-head">
                <Dialog.Title className="brand">CRM</Dialog.Title>
                <Dialog.Close asChild>
                  <button type="button" className="button button-quiet" aria-label="Close menu">
                    ✕
                  </button>
                </Dialog.Close>
              </div>
              <nav aria-label="Main">
                <NavLinks onNavigate={() => setMenuOpen(false)} />
              </nav>
              <SignOut />
            </Dialog.Content>
          </Dialog.Portal>
        </Dialog.Root>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
