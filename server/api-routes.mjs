// The API's routes as the build knows them: a matcher over the app/api folder tree, read from the
// build's app-paths manifest (one entry per app/api/**/route.ts), so that no list is kept by hand.
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Parses app-paths-manifest.json's entries (`"/api/v1/x/[id]/route": "app/api/v1/x/[id]/route.js"`)
 * into routes `{ page, segments, file }` for the paths under /api. Pages, route groups, parallel and
 * intercepting routes are left out: Next serves those.
 */
export function apiRoutesFromManifest(manifest) {
  const routes = [];
  for (const [page, file] of Object.entries(manifest)) {
    if (!page.startsWith("/api/") || !page.endsWith("/route")) continue;
    const segments = page.slice(1, -"/route".length).split("/");
    if (segments.some((s) => /^[(@]|^\(\.|^\.\.\(/.test(s))) continue;
    const parsed = segments.map(parseSegment);
    if (parsed.includes(null)) continue;
    routes.push({ page, segments: parsed, file });
  }
  return routes;
}

function parseSegment(s) {
  let m = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(s);
  if (m) return { kind: "optional-catch-all", name: m[1] };
  m = /^\[\.\.\.([^\]]+)\]$/.exec(s);
  if (m) return { kind: "catch-all", name: m[1] };
  m = /^\[([^\]]+)\]$/.exec(s);
  if (m) return { kind: "dynamic", name: m[1] };
  return /[[\]]/.test(s) ? null : { kind: "static", name: s };
}

const ORDER = { static: 0, dynamic: 1, "catch-all": 2, "optional-catch-all": 3 };

/**
 * A matcher with Next's precedence, segment by segment: a static segment before a dynamic one, a
 * dynamic one before a catch-all. Returns `(pathname) => { route, params } | null`; `pathname` is
 * the raw path (callers hand Next anything that needs decoding or normalising).
 */
export function apiMatcher(routes) {
  const root = { children: new Map(), route: null };
  for (const r of routes) {
    let node = root;
    for (const seg of r.segments) {
      const key = `${seg.kind}:${seg.kind === "static" ? seg.name : ""}`;
      if (!node.children.has(key)) node.children.set(key, { seg, children: new Map(), route: null });
      node = node.children.get(key);
    }
    node.route = r;
  }
  const sortChildren = (node) => {
    node.sorted = [...node.children.values()].sort((a, b) => ORDER[a.seg.kind] - ORDER[b.seg.kind]);
    node.statics = new Map(node.sorted.filter((c) => c.seg.kind === "static").map((c) => [c.seg.name, c]));
    node.sorted.forEach(sortChildren);
  };
  sortChildren(root);

  const walk = (node, parts, i, params) => {
    if (i === parts.length) {
      if (node.route) return { route: node.route, params };
      const opt = node.sorted.find((c) => c.seg.kind === "optional-catch-all" && c.route);
      return opt ? { route: opt.route, params } : null;
    }
    const part = parts[i];
    const stat = node.statics.get(part);
    if (stat) {
      const hit = walk(stat, parts, i + 1, params);
      if (hit) return hit;
    }
    for (const child of node.sorted) {
      const { kind, name } = child.seg;
      if (kind === "dynamic") {
        const hit = walk(child, parts, i + 1, { ...params, [name]: part });
        if (hit) return hit;
      } else if ((kind === "catch-all" || kind === "optional-catch-all") && child.route) {
        return { route: child.route, params: { ...params, [name]: parts.slice(i) } };
      }
    }
    return null;
  };

  return (pathname) => {
    const parts = pathname.slice(1).split("/");
    if (parts.some((p) => p === "")) return null;
    return walk(root, parts, 0, {});
  };
}

/** The app's API routes from the build in `distDir`. */
export function loadApiRoutes(distDir) {
  const manifest = JSON.parse(readFileSync(path.join(distDir, "server", "app-paths-manifest.json"), "utf8"));
  return apiRoutesFromManifest(manifest);
}
