// The shape of lib/ (house style 14 and 15), checked from the source: folders of lib/ import each
// other in one direction only, HTTP answers are chosen only in app/ and lib/api/, and an error's
// status comes from the one table in lib/errors.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** lib/<folder>/… is one unit; a file right under lib/ (errors.ts, boot.ts) is a unit of its own. */
const unitOf = (file: string) => {
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : file.replace(/\.tsx?$/, "");
};

const IMPORT = /^\s*(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

/** The lib/ files a file imports (type-only imports included: a cycle of types is a cycle of concepts). */
function libImports(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].flatMap((m) => {
    const spec = (m[1] ?? m[2])!;
    const target = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.posix.join(path.posix.dirname(file), spec) : null;
    return target?.startsWith("lib/") ? [target] : [];
  });
}

/** Each file with the lib/ files it imports. */
const importGraph = (files: string[]) => new Map(files.map((f) => [f, libImports(f, readFileSync(path.join(ROOT, f), "utf8"))]));

/** Units that reach each other through imports (strongly connected, more than one), each with the imports that tie it. */
function cyclesBetweenUnits(graph: Map<string, string[]>): string[][] {
  const edges = new Map<string, Map<string, string[]>>();
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const [from, to] = [unitOf(file), unitOf(`${target}.ts`)];
      if (from === to) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const why = edges.get(from)!;
      why.set(to, [...(why.get(to) ?? []), `${file} -> ${target}`]);
    }
  }
  // Tarjan's strongly connected components
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const unit: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) unit.push(w);
    if (unit.length > 1) cycles.push(unit.flatMap((a) => unit.flatMap((b) => edges.get(a)?.get(b) ?? [])));
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Where `pattern` matches in `files` (a match may span lines), as "file:line: text". */
function offending(files: string[], pattern: RegExp): string[] {
  const global = new RegExp(pattern.source, "g");
  return files.flatMap((file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(global)].map((m) => `${file}:${text.slice(0, m.index).split("\n").length}: ${m[0].replace(/\s+/g, " ")}`);
  });
}

const LIB = sourceFiles("lib");

// Choosing an HTTP answer: building a Response, or writing a status into one. Reading a status
// (a provider's, a webhook receiver's) is not choosing one.
const CHOOSES_HTTP = /\bNextResponse\b|\bnew Response\(|\bResponse\.json\(|\bstatus\s*:\s*[1-5]\d\d\b/;
// lib/gateway/ is a proxy: it answers the gateway's clients itself, in the OpenAI error shape with
// its own table (docs/gateway.md), and passes upstream answers through.
const HTTP_PLACES = ["lib/api/", "lib/gateway/"];
const HAND_PAIRED = /new AppError\(\s*\d/;

describe("the shape of lib/", () => {
  it("has no import cycle between its folders (a shared part is a third, lower module)", () => {
    expect(cyclesBetweenUnits(importGraph(LIB))).toEqual([]);
  });

  it("chooses HTTP statuses and builds responses only in app/ and lib/api/", () => {
    const outside = LIB.filter((f) => !HTTP_PLACES.some((p) => f.startsWith(p)));
    expect(offending(outside, CHOOSES_HTTP)).toEqual([]);
  });

  it("never pairs a status with an error code by hand: new AppError(code, …) and the table", () => {
    const everywhere = [...LIB, ...sourceFiles("app"), ...sourceFiles("scripts"), ...sourceFiles("components")];
    expect(offending(everywhere, HAND_PAIRED)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find a cycle, a chosen status and a hand-paired error where there is one", () => {
    expect(CHOOSES_HTTP.test("return { status: 201, body }")).toBe(true);
    expect(CHOOSES_HTTP.test("statusCode: 201")).toBe(false);
    expect(CHOOSES_HTTP.test("if (res.status === 404) retry()")).toBe(false);
    expect(HAND_PAIRED.test('throw new AppError(\n  429,\n  "rate_limited",')).toBe(true);
    expect(HAND_PAIRED.test('throw new AppError("rate_limited", detail, { limit })')).toBe(false);
    expect(libImports("lib/a/x.ts", 'import { y } from "../b/y";\nimport type { Z } from "@/lib/c/z";\nimport fs from "node:fs";')).toEqual(["lib/b/y", "lib/c/z"]);
    expect(unitOf("lib/provider-keys/save.ts")).toBe("lib/provider-keys/");
    expect(unitOf("lib/errors.ts")).toBe("lib/errors");
    const graph = new Map([
      ["lib/a/x.ts", ["lib/b/y"]],
      ["lib/b/y.ts", ["lib/c/z", "lib/errors"]],
      ["lib/c/z.ts", ["lib/a/w"]],
      ["lib/errors.ts", []],
    ]);
    expect(cyclesBetweenUnits(graph)).toEqual([[expect.any(String), expect.any(String), expect.any(String)]]);
    expect(cyclesBetweenUnits(new Map([...graph, ["lib/c/z.ts", []]]))).toEqual([]);
  });
});
