import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { getSessionPasswords } from "@/lib/config/secrets";
import { deleteSessionById, getActiveSessionById, insertSession, touchSessionLastSeen } from "@/lib/db/queries/sessions";
import { VersionedCache } from "@/lib/config-version/cache";
import { readVersion, versionChanged } from "@/lib/config-version/version";
import { getEnv, isProduction } from "@/lib/env";
import type { RequestContext } from "@/lib/call-context";
import { errorFields, log } from "@/lib/log";

export const SESSION_COOKIE = "session_token";

export interface SessionUser {
  id: string;
  email: string;
  role: "admin" | "viewer";
  sessionId: string;
  /** Signed in with a one-time password: only changing it is allowed until then. */
  mustChangePassword: boolean;
}

/** How stale a session's last_seen_at may get: one write a minute at most, not one per request. */
const LAST_SEEN_EVERY_MS = 60_000;

const ttlSeconds = () => getEnv().SESSION_TTL_HOURS * 3600;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Starts a server-side session and returns the sealed cookie value that names it. */
export async function createSession(userId: string, ctx: RequestContext): Promise<{ cookie: string; maxAge: number }> {
  const token = randomBytes(32).toString("base64url");
  const maxAge = ttlSeconds();
  await insertSession({
    id: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + maxAge * 1000),
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  const cookie = await sealData({ t: token }, { password: getSessionPasswords(), ttl: maxAge });
  return { cookie, maxAge };
}

/**
 * Unsealing costs ~0.5 ms of key derivation, and a given cookie string always unseals to the same
 * token (the seal is authenticated), so successful unseals are remembered for at most one session
 * lifetime. This caches only the cookie -> token step: the session row (with its own expiry) is
 * still checked in the database on every request, so sign-out and revocation stay immediate.
 */
const unsealed = new Map<string, { token: string; until: number }>();
const UNSEAL_CACHE_MAX = 10_000;

async function tokenOf(cookie: string | undefined): Promise<string | null> {
  if (!cookie || cookie.length > 4096) return null;
  const now = Date.now();
  const hit = unsealed.get(cookie);
  if (hit && hit.until > now) return hit.token;
  try {
    const data = await unsealData<{ t?: unknown }>(cookie, { password: getSessionPasswords(), ttl: ttlSeconds() });
    if (typeof data.t !== "string") return null;
    if (unsealed.size >= UNSEAL_CACHE_MAX) unsealed.delete(unsealed.keys().next().value as string);
    unsealed.set(cookie, { token: data.t, until: now + ttlSeconds() * 1000 });
    return data.t;
  } catch {
    return null; // tampered, foreign secret, or expired seal
  }
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof getActiveSessionById>>>;

/**
 * Live session rows (with their user) cached in this process under the shared `sessions` token
 * (lib/config-version): every sign-out, ended session and change of a user replaces the token
 * before its answer (`sessionsChanged`), so a signed-out, disabled or demoted user loses access on
 * every instance's next request, and the steady state asks neither the database nor Redis (the token
 * is pushed: lib/config-version/watch.ts). An
 * entry lives at most a minute (a bound, should a change ever not announce itself); expiry is
 * checked against the clock on every request.
 */
const g = globalThis as unknown as { __llmhubSessionRows?: VersionedCache<SessionRow> };
const sessionRows = () => (g.__llmhubSessionRows ??= new VersionedCache<SessionRow>(10_000, 60_000));

async function activeSession(id: string): Promise<SessionRow | null> {
  const version = await readVersion("sessions");
  const hit = sessionRows().get(id, version);
  if (hit) return hit.expiresAt.getTime() > Date.now() ? hit : null;
  const row = await getActiveSessionById(id);
  if (!row) return null;
  sessionRows().set(id, version, row);
  return row;
}

/**
 * The signed-in user, checked on every call (the row, or its cached copy under the shared token) so
 * that sign-out, a disabled account or a role change takes effect at once on every instance. Null
 * when there is none. `whenSealed` runs once the cookie is known to carry our seal, before the check.
 */
export async function resolveSession(cookie: string | undefined, whenSealed?: () => void): Promise<SessionUser | null> {
  const token = await tokenOf(cookie);
  if (!token) return null;
  // the cookie is one we sealed (nobody else can make one): a caller may start its own reads now
  whenSealed?.();
  const row = await activeSession(hashToken(token));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    row.lastSeenAt = new Date(); // the cached copy too: one write a minute per instance at most
    await touchSessionLastSeen(row.sessionId).catch((err: unknown) => log.warn("Could not record a session's last use", errorFields(err)));
  }
  return { id: row.userId, email: row.email, role: row.role, sessionId: row.sessionId, mustChangePassword: row.mustChangePassword };
}

/**
 * After a change that ends sessions or changes a user committed, before its answer: no instance
 * serves a cached session row again (each reads the row on its next request).
 */
export async function sessionsChanged(): Promise<void> {
  sessionRows().clear();
  await versionChanged("sessions");
}

export async function destroySession(cookie: string | undefined): Promise<void> {
  const token = await tokenOf(cookie);
  if (!token) return;
  await deleteSessionById(hashToken(token));
  await sessionsChanged();
}

/** Cookie attributes (docs/api.md, "Cookies"): HttpOnly, SameSite=Lax, Secure in production. */
export function sessionCookieOptions(maxAge: number) {
  const secure = getEnv().COOKIE_SECURE ?? isProduction();
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge };
}
