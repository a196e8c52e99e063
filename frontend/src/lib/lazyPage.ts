import { lazy, type ReactNode } from "react";

/** A page whose code loads when it is first shown: each domain's pages are their own chunks. */
export function page<Name extends string>(load: () => Promise<Record<Name, () => ReactNode>>, name: Name) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
