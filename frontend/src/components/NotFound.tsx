import { Link } from "react-router";
import { PageHeader, useTitle } from "./ui";

export function NotFound() {
  useTitle("Not found");
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing here. Go to <Link to="/contacts">Contacts</Link>.
      </p>
    </>
  );
}
