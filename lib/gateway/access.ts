import "server-only";
import type { HubKey } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { authenticateHubKey, guessHubKey } from "@/lib/hub-keys/authenticate";
import { hasScope, type HubKeyScope, missingScopeMessage } from "@/lib/hub-keys/scopes";
import type { Limiter, LimitResult } from "@/lib/rate-limit/limiter";
import { getRpmLimiter, rpmRefusal } from "@/lib/rate-limit/per-key";
import { GatewayError } from "./errors";
import { isModelAllowed, isWholeRouteAllowed, type GatewayModel } from "@/lib/providers/model-route";

/** A rate-limit unit spent ahead, for the row this process guessed the presented key to be. */
export interface EarlySpend {
  key: HubKey;
  limiter: Limiter;
  result: Promise<LimitResult>;
}

/**
 * Spends the presented key's rate-limit unit now, for the row this process last read for that key
 * (when it has one that would be admitted and has an `rpm_limit`), so that the limiter's round trip
 * to Redis overlaps the configuration token's instead of following it. admitHubKey uses the result
 * only if the row it admits is that row with that limit, and gives the unit back otherwise.
 */
export function spendEarly(headers: Headers, scope: HubKeyScope | null): EarlySpend | null {
  const key = guessHubKey(headers);
  if (!key || key.rpmLimit === null || (scope && !hasScope(key, scope))) return null;
  const limiter = getRpmLimiter(key.rpmLimit);
  const result = limiter.limit(key.id);
  result.catch(() => {}); // awaited by admitHubKey, or dropped with the guess
  return { key, limiter, result };
}

/** Gives back a unit spent ahead that the request does not use (before anything else is spent). */
function giveBack(early: EarlySpend): Promise<void> {
  return early.result
    .then((r) => (r.success && r.spend ? early.limiter.refund(early.key.id, r.spend) : undefined))
    .catch(() => {}); // Redis down: the unit ages out with its window
}

/**
 * The gate every gateway request passes first: a valid hub key (401 `invalid_hub_key`) with the
 * `gateway` scope (403 `missing_scope`; a key reading its own usage needs no scope), then the
 * key's `rpm_limit` on the shared limiter (429 `rate_limited` with Retry-After; 503 `unavailable`
 * when Redis is down: the limit fails closed). `early` is what spendEarly spent for this request.
 */
export async function admitHubKey(headers: Headers, configVersion: string | null, scope: HubKeyScope | null = "gateway", early: EarlySpend | null = null): Promise<HubKey> {
  let pending = early;
  try {
    const auth = await authenticateHubKey(headers, Date.now(), configVersion);
    if (!auth.ok) throw new GatewayError("invalid_hub_key", auth.message);
    const key = auth.key;
    if (scope && !hasScope(key, scope)) throw new GatewayError("missing_scope", missingScopeMessage(key, scope));
    if (key.rpmLimit !== null) {
      let r;
      try {
        const spent = pending && pending.key.id === key.id && pending.key.rpmLimit === key.rpmLimit ? pending.result : null;
        if (!spent && pending) await giveBack(pending); // the key changed since this process read it
        pending = null;
        r = await (spent ?? getRpmLimiter(key.rpmLimit).limit(key.id));
      } catch (err) {
        if (err instanceof AppError && err.status === 503) throw new GatewayError("unavailable", "The rate limiter is unavailable; retry shortly", 5);
        throw err;
      }
      if (!r.success) {
        const wait = Math.max(1, Math.ceil((r.reset - Date.now()) / 1000));
        throw new GatewayError("rate_limited", rpmRefusal(key.rpmLimit), wait);
      }
    }
    return key;
  } finally {
    if (pending) void giveBack(pending); // refused before its limit, or admitted without one
  }
}

/** 403 `model_not_allowed` unless the key's patterns allow the model (or, with no model, the whole route). */
export function checkAllowed(key: HubKey, route: string, model: GatewayModel | null): void {
  const ok = model ? isModelAllowed(key.allowed, model) : isWholeRouteAllowed(key.allowed, route);
  if (ok) return;
  const what = model ? `model '${model.route}/${model.model}'` : `every model of route '${route}' (this call names no model)`;
  throw new GatewayError("model_not_allowed", `This hub key may not use ${what}`);
}
