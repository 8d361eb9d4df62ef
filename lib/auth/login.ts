import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import { AppError } from "@/lib/errors";
import { getUserByEmail } from "@/lib/db/queries/users";
import { errorFields, log } from "@/lib/log";
import { addressLimitKey } from "@/lib/net/client-address";
import { getLimiter, type LimitResult } from "@/lib/rate-limit/limiter";
import type { RequestContext } from "@/lib/call-context";
import { isKnownDevice, sealKnownDevice } from "./known-device";
import { dummyPasswordHash, HashQueueFullError, hashQueueFull, verifyPassword } from "./password";
import { createSession } from "./session";

export interface LoginResult {
  user: { id: string; email: string; role: "admin" | "viewer" };
  cookie: string;
  maxAge: number;
  /** The known-device cookie for this browser (see known-device.ts). */
  knownDevice: { cookie: string; maxAge: number };
}

const INVALID = "Invalid email or password";

/**
 * Signs a user in. Each attempt spends a unit of the per-account and the per-address budgets
 * before its password is checked, atomically, so that attempts sent all at once cannot all pass a
 * check of the remaining budget; a successful sign-in gives its units back, so only failed attempts
 * count and a user is never locked out by their own sign-ins. An attempt that is never judged (the
 * password queue is full, an outage) gives them back too.
 */
export async function login(email: string, password: string, ctx: RequestContext, knownDeviceCookie?: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  // a full queue refuses first, before any Redis or database work: a flood is answered cheaply
  const lane = (await isKnownDevice(knownDeviceCookie, normalized)) ? "priority" : "normal";
  const full = hashQueueFull(lane);
  if (full !== null) throw busy(full);

  const spent = await spendUnits(emailDigest(normalized), addressLimitKey(ctx.ip));
  if ("blocked" in spent) {
    const who = await recordedEmail(normalized);
    await recordAudit({ action: "auth.login", outcome: "denied", actorEmail: who, statusCode: 429 }, ctx);
    throw new AppError("rate_limited", "Too many failed sign-in attempts. Try again later.", { limit: spent.blocked });
  }

  let user: Awaited<ReturnType<typeof getUserByEmail>>;
  let ok: boolean;
  try {
    user = await getUserByEmail(normalized);
    ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()), lane);
  } catch (err) {
    await spent.refund(); // never judged (the queue filled up meanwhile, an outage): not a failure
    if (err instanceof HashQueueFullError) throw busy(err.retryAfterSeconds);
    throw err;
  }

  if (!user || !ok || user.disabled) {
    const who = user ? user.email : unknownEmail(normalized);
    await recordAudit(
      { action: "auth.login", outcome: "failure", actorEmail: who, statusCode: 401, detail: { reason: !user ? "unknown_user" : !ok ? "bad_password" : "disabled" } },
      ctx,
    );
    log.warn(`Failed sign-in for ${who}`, { ip: ctx.ip });
    throw new AppError("invalid_credentials", INVALID);
  }

  await spent.refund();
  const [session, knownDevice] = await Promise.all([createSession(user.id, ctx), sealKnownDevice(user.email)]);
  await recordAudit({ action: "auth.login", outcome: "success", actor: user, statusCode: 200 }, ctx);
  log.info(`User ${user.email} signed in`, { role: user.role });
  return { user: { id: user.id, email: user.email, role: user.role }, ...session, knownDevice };
}

/**
 * Spends one unit of each sign-in budget. When either refuses, the other's unit is given back and
 * the refusal returned; otherwise `refund` gives both back (it never throws: a refund lost to an
 * outage only counts one attempt too many).
 */
async function spendUnits(accountKey: string, addressKey: string): Promise<{ refund: () => Promise<void> } | { blocked: LimitResult }> {
  const budgets = [
    [getLimiter("login-account"), accountKey],
    [getLimiter("login-ip"), addressKey],
  ] as const;
  const results = await Promise.allSettled(budgets.map(([limiter, id]) => limiter.limit(id)));
  const refund = async () => {
    await Promise.all(
      results.map(async (r, i) => {
        const [limiter, id] = budgets[i]!;
        if (r.status !== "fulfilled" || !r.value.spend) return;
        await limiter.refund(id, r.value.spend).catch((err: unknown) => log.warn("Could not refund a sign-in attempt", errorFields(err)));
      }),
    );
  };
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await refund();
    throw failed.reason;
  }
  const blocked = results.map((r) => (r as PromiseFulfilledResult<LimitResult>).value).find((r) => !r.success);
  if (blocked) {
    await refund();
    return { blocked };
  }
  return { refund };
}

/**
 * A keyed hash of a submitted email: the per-account budget's key, and what the log and audit log
 * say about an email that is no account (it may be a password typed in the wrong field). The same
 * email always gives the same hash, so repeated attempts can still be told apart.
 */
const emailDigest = (normalized: string) => getKeyring().fingerprint(`sign-in-email:${normalized}`);
const unknownEmail = (normalized: string) => `unknown:${emailDigest(normalized).slice(3, 15)}`;

/** The account's email when it is one, else the short hash. */
async function recordedEmail(normalized: string): Promise<string> {
  const user = await getUserByEmail(normalized);
  return user ? user.email : unknownEmail(normalized);
}

let busySince = 0;
let busyCount = 0;

/** 503 with Retry-After; logged at most once a minute (a flood would otherwise flood the log too). */
function busy(retryAfterSeconds: number): AppError {
  busyCount++;
  if (Date.now() - busySince > 60_000) {
    log.warn(`Sign-in queue full: ${busyCount} attempt(s) refused with 503 since the last report`);
    busySince = Date.now();
    busyCount = 0;
  }
  return new AppError("sign_in_busy", `Too many sign-in attempts are being checked right now. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}
