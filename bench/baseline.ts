/**
 * The bare baseline for `npm run bench`: a minimal node:http server that does the same work for
 * GET /api/v1/llm/providers/keys as the app, without Next.js or drizzle: read the session cookie,
 * unseal it with iron-session (successful unseals cached exactly like lib/auth/session.ts), look the
 * session up in PostgreSQL with the app's query text, run the app's list query, build the same
 * view (lib/provider-keys/serialize.ts), sort it the same way, and write the same JSON bytes.
 * `npm run bench` checks that both answer byte-identical bodies before it measures.
 *
 * With REDIS_URL it also serves DELETE /api/v1/llm/providers/keys/{id} as the app does, for the
 * side-by-side table's third column (the same libraries without Next.js or our request layer): the
 * session as lib/auth/session.ts checks it (cached unseal, the sessions token the app's ConfigWatch
 * holds — a Redis GET only while its lease lapsed — the row cached under it), the app's own delete
 * statement (removeStoredKeyStatement, the same text, prepared) with the same audit record, then for
 * a removed key the gateway token replaced and announced as the app does (ConfigWatch.announce: one
 * script, then this process's own message back) and the app's log line, and the app's JSON answer.
 *
 * Runs in its own process: node --import tsx --conditions=react-server bench/baseline.ts
 * Env: PORT, DATABASE_URL, SESSION_SECRET (comma-separated, newest first), SESSION_TTL_HOURS,
 * REDIS_URL (optional), and the providers' *_API_KEY fallbacks (for the "environment" preview).
 */
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { and, eq, fillPlaceholders, gt, Placeholder, sql as drizzleSql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import { unsealData } from "iron-session";
import Redis from "ioredis";
import postgres from "postgres";
import { VersionedCache } from "../lib/config-version/cache";
import { VERSION_KEYS } from "../lib/config-version/version";
import { ConfigWatch } from "../lib/config-version/watch";
import { providerKeyListColumns, type ProviderKeyListRow } from "../lib/db/columns";
import { auditValues } from "../lib/db/queries/audit";
import { removeStoredKeyStatement } from "../lib/db/queries/provider-keys";
import { notFound } from "../lib/errors";
import { isUuid } from "../lib/ids";
import { REDIS_CLIENT_OPTIONS } from "../lib/rate-limit/redis";
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
const REMOVE = new PgDialect({ casing: "snake_case" }).sqlToQuery(removeStoredKeyStatement());

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

// ---------------------------------------------------------------------------------------------
// DELETE /api/v1/llm/providers/keys/{id}, as the app does it (see the header)

const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, REDIS_CLIENT_OPTIONS) : null;
const NOT_FOUND = { detail: notFound().detail, code: notFound().code };
type SessionRow = [string, unknown, string, string, string]; // session id, expires_at, user id, email, role
const sessionRows = new VersionedCache<SessionRow>(10_000, 60_000);
const TOKEN_PREFIX = randomBytes(9).toString("base64url");
let tokens = 0;
const newToken = () => `${TOKEN_PREFIX}.${(++tokens).toString(36)}`;
const watch = redis
  ? new ConfigWatch({ redis, subscriber: redis.duplicate(), keys: VERSION_KEYS, namespace: `llmhub:${redis.options.db ?? 0}`, newToken })
  : null;

async function admin(req: http.IncomingMessage): Promise<{ id: string; email: string } | { status: number; detail: string; code: string }> {
  const cookie = cookieValue(req.headers.cookie, "session_token");
  const token = await tokenOf(cookie);
  const refused = { status: 401, detail: cookie ? "Invalid session - please login again" : "Not authenticated - no session token", code: "not_authenticated" };
  if (!token) return refused;
  const id = createHash("sha256").update(token).digest("hex");
  const version = watch!.token("sessions") ?? (await redis!.get(VERSION_KEYS.sessions));
  let row = version ? sessionRows.get(id, version) : undefined;
  if (!row) {
    [row] = (await sql.unsafe(SESSION_SQL, sessionParams(id), { prepare: true }).values()) as unknown as SessionRow[];
    if (row && version) sessionRows.set(id, version, row);
  }
  if (!row || new Date(row[1] as string).getTime() <= Date.now()) return refused;
  if (row[4] !== "admin") return { status: 403, detail: "Admin access required", code: "forbidden" };
  return { id: row[2], email: row[3] };
}

async function remove(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
  const user = await admin(req);
  if ("status" in user) return send(res, user.status, { detail: user.detail, code: user.code });
  if (!isUuid(id)) return send(res, 404, NOT_FOUND);
  const xff = req.headers["x-forwarded-for"];
  const audit = auditValues({
    action: "provider_key.delete",
    outcome: "success",
    actorId: user.id,
    actorEmail: user.email,
    statusCode: 200,
    ip: (typeof xff === "string" && xff ? xff : (req.socket.remoteAddress ?? "")).replace(/^::ffff:/, "").slice(0, 64) || null,
    userAgent: req.headers["user-agent"]?.slice(0, 512) ?? null,
  });
  const params = fillPlaceholders(REMOVE.params, { ...audit, id, updatedBy: user.email }) as never[];
  const [row] = (await sql.unsafe(REMOVE.sql, params, { prepare: true })) as unknown as { id: string; name: string; had_key: boolean }[];
  if (!row) return send(res, 404, NOT_FOUND);
  await watch!.announce("gateway", newToken());
  // (the app also brings back the "Custom Endpoint" placeholder when the last custom row goes: the
  // bench seeds thousands, so it never does here)
  if (row.had_key) console.log(`${new Date().toISOString()} INFO Admin ${user.email} deleted provider key: ${row.name}`);
  send(res, 200, { success: true, provider_id: row.id, message: "API key deleted successfully (will fall back to environment variable if configured)" });
}

const KEY_PATH = "/api/v1/llm/providers/keys/";

const server = http.createServer((req, res) => {
  const path = req.url?.split("?")[0];
  if (req.method === "GET" && path === "/api/v1/llm/providers/keys") {
    list(req, res).catch((err: unknown) => {
      console.error("baseline list failed:", (err as Error).message);
      if (!res.headersSent) send(res, 500, { detail: "Internal server error", code: "internal_error" });
    });
  } else if (req.method === "DELETE" && redis && path?.startsWith(KEY_PATH) && !path.includes("/", KEY_PATH.length)) {
    remove(req, res, path.slice(KEY_PATH.length)).catch((err: unknown) => {
      console.error("baseline delete failed:", (err as Error).message);
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
  void watch?.close();
  redis?.disconnect();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
