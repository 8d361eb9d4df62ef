/**
 * The bare baseline for `npm run bench`: a minimal node:http server that does the same work for
 * GET /api/v1/llm/providers/keys as the app, without Next.js or drizzle: read the session cookie,
 * unseal it with iron-session (successful unseals cached exactly like lib/auth/session.ts), look the
 * session up in PostgreSQL with the app's query text, run the app's list query, build the same
 * view (lib/provider-keys/serialize.ts), sort it the same way, and write the same JSON bytes.
 * `npm run bench` checks that both answer byte-identical bodies before it measures.
 *
 * Runs in its own process: node node_modules/tsx/dist/cli.mjs bench/baseline.ts
 * Env: PORT, DATABASE_URL, SESSION_SECRET (comma-separated, newest first), SESSION_TTL_HOURS,
 * and the providers' *_API_KEY fallbacks (for the "environment" preview, as the app).
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { and, eq, gt, Placeholder, sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { unsealData } from "iron-session";
import postgres from "postgres";
import { providerKeyListColumns, type ProviderKeyListRow } from "../lib/db/columns";
import * as schema from "../lib/db/schema";

const PORT = Number(process.env.PORT ?? 0);
const TTL_SECONDS = Number(process.env.SESSION_TTL_HOURS ?? 12) * 3600;
const secrets = (process.env.SESSION_SECRET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
if (!process.env.DATABASE_URL || secrets.length === 0) throw new Error("DATABASE_URL and SESSION_SECRET are required");
const passwords = Object.fromEntries(secrets.map((s, i) => [secrets.length - i, s]));

// The same pool settings as lib/db/client.ts.
const sql = postgres(process.env.DATABASE_URL, { max: 10, connect_timeout: 5, idle_timeout: 60, max_lifetime: 60 * 30, onnotice: () => {} });

// The app's two statements, built once at start-up with the same drizzle expressions as
// lib/db/queries/sessions.ts (getActiveSessionById) and provider-keys.ts (listProviderKeyRows): the
// baseline runs the same SQL text as prepared statements, but builds nothing per request.
// (drizzle gets a client of its own that never connects: it changes its client's type parsers.)
const d = drizzle(postgres(process.env.DATABASE_URL), { schema, casing: "snake_case" });
const { sessions, users, providerKeys } = schema;
const sessionQuery = d
  .select({ sessionId: sessions.id, expiresAt: sessions.expiresAt, userId: users.id, email: users.email, role: users.role })
  .from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId))
  .where(and(eq(sessions.id, drizzleSql.placeholder("id")), gt(sessions.expiresAt, drizzleSql`now()`), eq(users.disabled, false)))
  .limit(1)
  .toSQL();
const SESSION_SQL = sessionQuery.sql;
const sessionParams = (id: string) => sessionQuery.params.map((p) => (p instanceof Placeholder ? id : p)) as (string | number | boolean)[];
const LIST_SQL = d.select(providerKeyListColumns).from(providerKeys).toSQL().sql;

const ENV_VARS: Record<string, string[]> = {
  openrouter: ["OPENROUTER_API_KEY"],
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  google: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
  cohere: ["COHERE_API_KEY"],
  groq: ["GROQ_API_KEY"],
  together: ["TOGETHER_API_KEY"],
  mistral: ["MISTRAL_API_KEY"],
};
const maskKey = (key: string) => (key.length > 20 ? `${key.slice(0, 7)}...${key.slice(-4)}` : "***");
function envKeyPreview(type: string): string | null {
  for (const name of ENV_VARS[type] ?? []) {
    const value = process.env[name]?.trim();
    if (value) return maskKey(value);
  }
  return null;
}

const unsealed = new Map<string, { token: string; until: number }>();
async function tokenOf(cookie: string | undefined): Promise<string | null> {
  if (!cookie || cookie.length > 4096) return null;
  const now = Date.now();
  const hit = unsealed.get(cookie);
  if (hit && hit.until > now) return hit.token;
  try {
    const data = await unsealData<{ t?: unknown }>(cookie, { password: passwords, ttl: TTL_SECONDS });
    if (typeof data.t !== "string") return null;
    if (unsealed.size >= 10_000) unsealed.delete(unsealed.keys().next().value as string);
    unsealed.set(cookie, { token: data.t, until: now + TTL_SECONDS * 1000 });
    return data.t;
  } catch {
    return null;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

// The list statement's rows, as the driver returns them (aliased columns, ISO timestamps).
type Row = ProviderKeyListRow;

function view(row: Row) {
  const envPreview = row.providerType !== "custom" && row.providerType in ENV_VARS ? envKeyPreview(row.providerType) : null;
  const keySource = row.hasStoredKey ? "database" : envPreview ? "environment" : "not_set";
  return {
    id: row.id,
    name: row.name,
    provider_type: row.providerType,
    has_key: keySource !== "not_set",
    key_source: keySource,
    enabled: row.enabled,
    health_status: row.healthStatus,
    last_tested: row.lastTested ?? null,
    test_status: row.testStatus ?? null,
    key_preview: row.hasStoredKey ? row.keyPreview : envPreview,
    config: row.config.base_url ? { base_url: row.config.base_url } : {},
    priority: row.priority,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy ?? null,
    last_test: row.lastTest
      ? {
          latency_ms: row.lastTest.latency_ms,
          models_found: row.lastTest.models_found,
          error: row.lastTest.error,
          error_code: row.lastTest.error_code,
          status_code: row.lastTest.status_code,
          credits: (row.lastTest as { credits?: unknown }).credits ?? null,
        }
      : null,
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function list(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const cookie = cookieValue(req.headers.cookie, "session_token");
  const token = await tokenOf(cookie);
  // Array rows, as drizzle reads a join (two "id" columns): [session id, expires_at, user id, email, role].
  const [session] = token
    ? await sql.unsafe(SESSION_SQL, sessionParams(createHash("sha256").update(token).digest("hex")), { prepare: true }).values()
    : [];
  if (!session) {
    const detail = cookie ? "Invalid session - please login again" : "Not authenticated - no session token";
    return send(res, 401, { detail, code: "not_authenticated" });
  }
  if (session[4] !== "admin") return send(res, 403, { detail: "Admin access required", code: "forbidden" });
  const rows = (await sql.unsafe(LIST_SQL, [], { prepare: true })) as unknown as Row[];
  const providers = rows.map(view);
  const stored = (r: { key_source: string }) => Number(r.key_source === "database");
  providers.sort((a, b) => stored(b) - stored(a) || b.priority - a.priority || a.name.localeCompare(b.name));
  send(res, 200, { success: true, total: providers.length, providers });
}

const server = http.createServer((req, res) => {
  const path = req.url?.split("?")[0];
  if (req.method === "GET" && path === "/api/v1/llm/providers/keys") {
    list(req, res).catch((err: unknown) => {
      console.error("baseline list failed:", (err as Error).message);
      if (!res.headersSent) send(res, 500, { detail: "Internal server error", code: "internal_error" });
    });
  } else if (req.method === "GET" && path === "/health") {
    send(res, 200, { status: "ok" });
  } else {
    send(res, 404, { detail: "Not found", code: "not_found" });
  }
});
// Node's defaults otherwise, like next start (keep-alive on).
server.listen(PORT, "127.0.0.1", () => {
  const addr = server.address() as { port: number };
  console.log(`baseline listening on http://127.0.0.1:${addr.port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
