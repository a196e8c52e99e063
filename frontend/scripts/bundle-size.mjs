// What the built app (dist/) asks a browser to download, gzipped: the first load (the
// scripts index.html names and everything they import) and, for each page, what opening
// it adds. Fails when the first load is over the budget, so new pages stay lazy.
//
//   node scripts/bundle-size.mjs [--budget-kb 100]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const DIST = new URL("../dist/", import.meta.url).pathname;
const budgetArg = process.argv.indexOf("--budget-kb");
const BUDGET_KB = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 100;

const read = (file) => readFileSync(join(DIST, file), "utf8");
const chunks = readdirSync(join(DIST, "assets")).filter((f) => f.endsWith(".js"));
const gzipKb = new Map(chunks.map((f) => [f, gzipSync(read(`assets/${f}`), { level: 9 }).length / 1000]));

/** The chunks a chunk imports statically: they load with it. */
function staticImports(file) {
  const code = read(`assets/${file}`);
  const found = [...code.matchAll(/(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g)];
  return found.map((m) => m[1]);
}

function closure(roots) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    staticImports(file).forEach(visit);
  };
  roots.forEach(visit);
  return seen;
}

const sum = (files) => [...files].reduce((total, f) => total + gzipKb.get(f), 0);
const html = read("index.html");
const entry = [...html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)].map((m) => m[1]);
const first = closure(entry);
const total = sum(chunks);
const firstKb = sum(first);

console.log(`first load: ${firstKb.toFixed(1)} kB gz in ${first.size} files (budget ${BUDGET_KB} kB)`);
console.log(`all JavaScript: ${total.toFixed(1)} kB gz in ${chunks.length} files`);
console.log("\neach lazy chunk adds, with what it imports beyond the first load:");
// The chunks loaded on demand: pages, and what they open later (dialogs, the portal's profile).
const lazyChunks = new Set(
  chunks.flatMap((f) => [...read(`assets/${f}`).matchAll(/import\(\s*["'`]\.\/([\w.-]+\.js)["'`]\s*\)/g)].map((m) => m[1])),
);
const rows = [...lazyChunks].map((chunk) => {
  const extra = [...closure([chunk])].filter((f) => !first.has(f));
  return [chunk.replace(/-[\w-]{8}\.js$/, ""), sum(extra), extra.length];
});
for (const [name, kb, files] of rows.sort((a, b) => b[1] - a[1])) {
  console.log(`  ${name.padEnd(18)} +${kb.toFixed(1).padStart(5)} kB in ${files} files`);
}
console.log("\nlargest chunks:");
for (const [file, kb] of [...gzipKb].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
  console.log(`  ${file.padEnd(40)} ${kb.toFixed(1).padStart(6)} kB`);
}
if (firstKb > BUDGET_KB) {
  console.error(`\nThe first load is over its budget: load the new code lazily (see App.tsx).`);
  process.exit(1);
}
