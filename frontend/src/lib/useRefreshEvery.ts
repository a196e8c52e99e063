import { useEffect } from "react";

/** Asks again every `seconds` while the page is in view, so replies show up. */
export function useRefreshEvery(seconds: number, refresh: () => void) {
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, seconds * 1000);
    return () => window.clearInterval(timer);
  }, [seconds, refresh]);
}
