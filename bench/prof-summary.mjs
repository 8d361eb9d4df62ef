// node bench/prof-summary.mjs bench/tmp/prof/<file>.cpuprofile [N] [filter]
// Self time by function and by source (package / app chunk / node internals) of a --cpu-prof profile;
// with a filter (regexp on function name), also the inclusive time of matching functions.
import { readFileSync } from "node:fs";

const [file, nArg, filter] = process.argv.slice(2);
const N = Number(nArg ?? 40);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const all = [...dt.values()].reduce((a, b) => a + b, 0);
const idleIds = new Set(prof.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
const total = all - [...dt].reduce((a, [id, us]) => a + (idleIds.has(id) ? us : 0), 0); // percentages of busy time

const source = (url) => {
  if (!url) return "(native/vm)";
  if (url.startsWith("node:")) return "node:" + url.slice(5).split("/")[0];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (nm) return nm[1] === "next" ? `next/${nm[2].split("/").slice(0, 3).join("/")}` : nm[1];
  const chunk = /\.next[^/]*\/server\/(.*)$/.exec(url);
  if (chunk) return `app:${chunk[1]}`;
  return url.replace(/^file:\/\/\/work\/main\//, "");
};

const self = new Map();
const bySource = new Map();
for (const [id, us] of dt) {
  if (idleIds.has(id)) continue;
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || "(anonymous)"}  ${source(cf.url)}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us);
  const s = ["(idle)", "(program)", "(garbage collector)"].includes(cf.functionName) ? cf.functionName : source(cf.url);
  bySource.set(s, (bySource.get(s) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${(all / 1e6).toFixed(1)} s sampled, ${(total / 1e6).toFixed(1)} s busy; percentages are of busy time\n\nby source:`);
for (const [k, v] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);
console.log("\nself time by function:");
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);

if (filter) {
  const re = new RegExp(filter);
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  for (const [id, us] of dt) {
    if (idleIds.has(id)) continue;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      if (!re.test(cf.functionName)) continue;
      const key = `${cf.functionName}  ${source(cf.url)}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  console.log(`\ninclusive time of /${filter}/:`);
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);
}

// PROF_CALLERS=regex: for samples whose own function matches, the nearest frames outside node:internal.
if (process.env.PROF_CALLERS) {
  const re = new RegExp(process.env.PROF_CALLERS);
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const chains = new Map();
  for (const [id, us] of dt) {
    const leaf = byId.get(id).callFrame;
    if (!re.test(leaf.functionName)) continue;
    const frames = [];
    for (let cur = parent.get(id); cur !== undefined && frames.length < 4; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      const src = source(cf.url);
      if (src.startsWith("node:") || src === "(native/vm)") continue;
      frames.push(`${cf.functionName || "(anon)"}@${src}:${cf.lineNumber + 1}`);
    }
    const key = `${leaf.functionName} <- ${frames.join(" <- ")}`;
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  console.log(`\ncallers of /${process.env.PROF_CALLERS}/:`);
  for (const [k, v] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${k}`);
}
