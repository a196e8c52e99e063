import { lazy } from "react";
import { Navigate, Outlet, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { PageLoading } from "./components/Loading";
import { useAuth } from "./lib/auth";
import { page } from "./lib/lazyPage";

const Profile = page(() => import("./staff/Profile"), "Profile");
const HomePage = page(() => import("./home/HomePage"), "HomePage");
const TasksPage = page(() => import("./tasks/TasksPage"), "TasksPage");
const ContactsList = page(() => import("./contacts/ContactsList"), "ContactsList");
const ContactPage = page(() => import("./contacts/ContactPage"), "ContactPage");
const ContactForm = page(() => import("./contacts/form/ContactForm"), "ContactForm");
const ImportWizard = page(() => import("./imports/ImportWizard"), "ImportWizard");
const CompanyImportWizard = page(() => import("./imports/ImportWizard"), "CompanyImportWizard");
const CompaniesList = page(() => import("./companies/CompaniesList"), "CompaniesList");
const CompanyPage = page(() => import("./companies/CompanyPage"), "CompanyPage");
const CompanyForm = page(() => import("./companies/CompanyForm"), "CompanyForm");
const GroupsList = page(() => import("./groups/GroupsList"), "GroupsList");
const GroupPage = page(() => import("./groups/GroupPage"), "GroupPage");
const SegmentsList = page(() => import("./segments/SegmentsList"), "SegmentsList");
const SegmentPage = page(() => import("./segments/SegmentPage"), "SegmentPage");
const ProductsList = page(() => import("./products/ProductsList"), "ProductsList");
const ProductPage = page(() => import("./products/ProductPage"), "ProductPage");
const CampaignsList = page(() => import("./campaigns/CampaignsList"), "CampaignsList");
const CampaignPage = page(() => import("./campaigns/CampaignPage"), "CampaignPage");
const InvitationsList = page(() => import("./portal/invitations/InvitationsList"), "InvitationsList");
const OutboxPage = page(() => import("./mail/OutboxPage"), "OutboxPage");
const UnreadConversations = page(() => import("./messages/UnreadConversations"), "UnreadConversations");
const DuplicatesPage = page(() => import("./duplicates/DuplicatesPage"), "DuplicatesPage");
const MergePage = page(() => import("./duplicates/MergePage"), "MergePage");
const NotFound = page(() => import("./components/NotFound"), "NotFound");
// Settings and staff accounts (administrators only): their own pages, in one chunk.
const SettingsApp = lazy(() => import("./settings/SettingsApp"));

function RequireStaff() {
  const auth = useAuth();
  const location = useLocation();
  if (auth.signedIn === null) return <PageLoading />;
  // A client signed in to the portal never sees (or briefly flashes) a staff page.
  if (auth.portalUser) return <Navigate to="/portal" replace />;
  if (!auth.signedIn) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Outlet />;
}

/** The staff app: its frame and pages, for a signed-in staff member. */
export default function StaffApp() {
  return (
    <Routes>
      <Route element={<RequireStaff />}>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/home" replace />} />
          <Route path="home" element={<HomePage />} />
          <Route path="tasks" element={<TasksPage />} />
          <Route path="contacts" element={<ContactsList />} />
          <Route path="contacts/new" element={<ContactForm />} />
          <Route path="contacts/import" element={<ImportWizard />} />
          <Route path="companies/import" element={<CompanyImportWizard />} />
          <Route path="contacts/:id" element={<ContactPage />} />
          <Route path="contacts/:id/edit" element={<ContactForm />} />
          <Route path="companies" element={<CompaniesList />} />
          <Route path="companies/new" element={<CompanyForm />} />
          <Route path="companies/:id" element={<CompanyPage />} />
          <Route path="companies/:id/edit" element={<CompanyForm />} />
          <Route path="groups" element={<GroupsList />} />
          <Route path="groups/:id" element={<GroupPage />} />
          <Route path="segments" element={<SegmentsList />} />
          <Route path="segments/:id" element={<SegmentPage />} />
          <Route path="products" element={<ProductsList />} />
          <Route path="products/:id" element={<ProductPage />} />
          <Route path="campaigns" element={<CampaignsList />} />
          <Route path="campaigns/:id" element={<CampaignPage />} />
          <Route path="invitations" element={<InvitationsList />} />
          <Route path="messages" element={<UnreadConversations />} />
          <Route path="duplicates" element={<DuplicatesPage />} />
          <Route path="duplicates/merge" element={<MergePage />} />
          <Route path="outbox" element={<OutboxPage />} />
          <Route path="settings/*" element={<SettingsApp />} />
          <Route path="profile" element={<Profile />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}
