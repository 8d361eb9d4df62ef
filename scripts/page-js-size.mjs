#!/usr/bin/env node
// The JavaScript (and CSS) each page's first load fetches, from the last `next build`: raw and
// gzipped bytes per route, so a change's weight can be compared before and after (issue 15).
// Usage: node scripts/page-js-size.mjs [distDir] [--json]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith("--")) ?? ".next";
const statsFile = path.join(dist, "diagnostics", "route-bundle-stats.json");
if (!existsSync(statsFile)) {
  console.error(`${statsFile} not found: run \`npm run build\` first.`);
  process.exit(1);
}

/** Chunk paths in the stats are relative to the project ("<dist>/static/..."). */
const bytes = (file) => {
  const buf = readFileSync(path.join(dist, file.replace(/^[^/]*\//, "")));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const sum = (files) => files.map(bytes).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });

// Stylesheets are shared by every page here (one global sheet), so one total covers them.
const cssDir = path.join(dist, "static", "chunks");
const css = sum(readdirSync(cssDir).filter((f) => f.endsWith(".css")).map((f) => `x/static/chunks/${f}`));

const routes = JSON.parse(readFileSync(statsFile, "utf8")).map((r) => ({ route: r.route, js: sum(r.firstLoadChunkPaths) }));
if (args.includes("--json")) {
  console.log(JSON.stringify({ routes, css }, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  for (const r of routes) console.log(`${r.route.padEnd(28)} JS ${kb(r.js.raw).padStart(9)} raw ${kb(r.js.gzip).padStart(8)} gzip`);
  console.log(`${"(all pages) CSS".padEnd(28)}    ${kb(css.raw).padStart(9)} raw ${kb(css.gzip).padStart(8)} gzip`);
}
