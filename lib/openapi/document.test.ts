import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./document";

const ROOT = path.resolve(__dirname, "../..");
const API_DIR = path.join(ROOT, "app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

/** Every route file under app/api, as its OpenAPI path (`[id]` → `{id}`, `[...model]` → `{model}`). */
function routeFiles(dir = API_DIR): { file: string; path: string }[] {
  const out: { file: string; path: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...routeFiles(full));
    else if (e.name === "route.ts") {
      const rel = path.relative(path.join(ROOT, "app"), dir).split(path.sep);
      out.push({ file: full, path: `/${rel.map((s) => s.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")).join("/")}` });
    }
  }
  return out;
}

type Doc = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as unknown as Doc;

  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await new Validator().validate(structuredClone(doc) as never);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
  });

  it("describes every method every route serves, and nothing else", async () => {
    const files = routeFiles().filter((r) => r.path !== "/api/{path}"); // the catch-all 404 of unknown /api paths
    expect(files.length).toBeGreaterThan(30);
    const served: string[] = [];
    for (const r of files) {
      const mod = (await import(r.file)) as Record<string, unknown>;
      for (const m of METHODS) {
        const fn = mod[m];
        if (typeof fn === "function" && !(fn as { methodNotAllowed?: boolean }).methodNotAllowed) served.push(`${m} ${r.path}`);
      }
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(served.sort());
  }, 60_000);

  it("has every path parameter declared, and schemas ajv can compile", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const name of Object.keys(doc.components.schemas)) ajv.compile({ $id: `https://llmhub.invalid/${name}`, components: doc.components, $ref: `#/components/schemas/${name}` });
    for (const [p, ops] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops) as { parameters?: { name: string; in: string }[] }[]) {
        expect(op.parameters?.filter((x) => x.in === "path").map((x) => x.name) ?? [], p).toEqual(names);
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Error", "GatewayError", "ProviderKey", "HubKey", "UsageSummary"]));
  });

  it("never carries the body reader's internal ignoredFields", () => {
    expect(JSON.stringify(doc)).not.toContain("ignoredFields");
  });
});
