import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { getUserByEmail } from "@/lib/db/queries/users";
import { log } from "@/lib/log";
import { getLimiter, rateLimitHeaders } from "@/lib/rate-limit/limiter";
import type { RequestContext } from "@/lib/api/request-context";
import { dummyPasswordHash, verifyPassword } from "./password";
import { createSession } from "./session";

export interface LoginResult {
  user: { id: string; email: string; role: "admin" | "viewer" };
  cookie: string;
  maxAge: number;
}

const INVALID = "Invalid email or password";

/**
 * Signs a user in. Only failed attempts spend the per-account and per-address budgets, so a
 * legitimate user is never locked out by their own successful sign-ins.
 */
export async function login(email: string, password: string, ctx: RequestContext): Promise<LoginResult> {
  const account = getLimiter("login-account");
  const address = getLimiter("login-ip");
  const accountId = email.toLowerCase();
  const addressId = ctx.ip ?? "unknown";
  const [a, b] = await Promise.all([account.peek(accountId), address.peek(addressId)]);
  const blocked = !a.success ? a : !b.success ? b : null;
  if (blocked) {
    await recordAudit({ action: "auth.login", outcome: "denied", actorEmail: accountId, statusCode: 429 }, ctx);
    throw new AppError(429, "rate_limited", "Too many failed sign-in attempts. Try again later.", rateLimitHeaders(blocked));
  }

  const user = await getUserByEmail(accountId);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok || user.disabled) {
    await Promise.all([account.limit(accountId), address.limit(addressId)]);
    await recordAudit(
      { action: "auth.login", outcome: "failure", actorEmail: accountId, statusCode: 401, detail: { reason: !user ? "unknown_user" : !ok ? "bad_password" : "disabled" } },
      ctx,
    );
    log.warn(`Failed sign-in for ${accountId}`, { ip: ctx.ip });
    throw new AppError(401, "invalid_credentials", INVALID);
  }

  const session = await createSession(user.id, ctx);
  await recordAudit({ action: "auth.login", outcome: "success", actor: user, statusCode: 200 }, ctx);
  log.info(`User ${user.email} signed in`, { role: user.role });
  return { user: { id: user.id, email: user.email, role: user.role }, ...session };
}
