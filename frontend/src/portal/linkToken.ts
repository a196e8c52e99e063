import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

/**
 * The token of an emailed link (`?token=` or `#token=`), read once; the address bar then
 * drops it, so it stays out of the browser history and of anything the page links to.
 */
export function useLinkToken(): string {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(
    () =>
      new URLSearchParams(location.search).get("token") ??
      new URLSearchParams(location.hash.slice(1)).get("token") ??
      "",
  );
  const { pathname, search, hash } = location;
  useEffect(() => {
    if (search || hash) navigate(pathname, { replace: true });
  }, [pathname, search, hash, navigate]);
  return token;
}
