// node bench/prof-by-file.mjs <file.cpuprofile> [distDir=.next-bench] [N=30]
// Where a --cpu-prof profile of the production build spends its busy time, by ORIGINAL source: each
// sample goes to the nearest frame (from the leaf up) that is not Node's own or native code, and a
// frame in a bundled chunk is mapped back through the chunk's source map (lib/gateway/proxy.ts,
// node_modules/postgres/..., next/...). What our code costs, and what the framework costs, per file.
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";

const [file, distDir = ".next-bench", nArg] = process.argv.slice(2);
const N = Number(nArg ?? 30);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));

const maps = new Map();
function mapOf(url) {
  if (!maps.has(url)) {
    const p = url.replace(/^file:\/\//, "");
    maps.set(url, existsSync(`${p}.map`) ? new SourceMap(JSON.parse(readFileSync(`${p}.map`, "utf8"))) : null);
  }
  return maps.get(url);
}
const clean = (s) =>
  s
    .replace(/^.*\[project\]\//, "")
    .replace(/^turbopack:\/\/\//, "")
    .replace(/ \[.*$/, "")
    .replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "pkg:$1");

function origin(cf) {
  const url = cf.url;
  if (!url) return null; // native / VM
  if (url.startsWith("node:")) return null;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm && !url.includes(`/${distDir}/`)) return `pkg:${nm[1]}`;
  if (url.includes(`/${distDir}/`)) {
    const m = mapOf(url);
    const e = m?.findEntry(cf.lineNumber, cf.columnNumber);
    return e?.originalSource ? clean(e.originalSource) : `chunk:${path.basename(url)}`;
  }
  return url.replace(/^file:\/\/\/work\/[^/]+\/[^/]+\//, "");
}

const special = new Set(["(idle)", "(program)", "(garbage collector)"]);
const by = new Map();
let busy = 0;
for (const [id, us] of dt) {
  const leaf = byId.get(id).callFrame;
  if (leaf.functionName === "(idle)") continue;
  busy += us;
  let key = special.has(leaf.functionName) ? leaf.functionName : null;
  for (let cur = id; !key && cur !== undefined; cur = parent.get(cur)) key = origin(byId.get(cur).callFrame);
  key ??= "(node internals, no JS caller)";
  by.set(key, (by.get(key) ?? 0) + us);
}
const group = (k) => (k.startsWith("lib/") || k.startsWith("app/") ? k.split("/").slice(0, 2).join("/") : k.startsWith("pkg:next") ? "pkg:next" : k);
const groups = new Map();
for (const [k, v] of by) groups.set(group(k), (groups.get(group(k)) ?? 0) + v);
const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`${(busy / 1e6).toFixed(1)} s busy\n\nby folder / package:`);
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);
console.log("\nby file:");
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);
