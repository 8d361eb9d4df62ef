import "server-only";
import type { HubKey } from "@/lib/db/schema";
import { nowMs } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { authenticateHubKey } from "@/lib/hub-keys/authenticate";
import { hasScope, type HubKeyScope, missingScopeMessage } from "@/lib/hub-keys/scopes";
import { rpmRefusal, spendRpmUnit } from "@/lib/rate-limit/per-key";
import { GatewayError } from "./errors";
import { isModelAllowed, isWholeRouteAllowed, type GatewayModel } from "@/lib/providers/model-route";

/**
 * The gate every gateway request passes first: a valid hub key (401 `invalid_hub_key`) with the
 * `gateway` scope (403 `missing_scope`; a key reading its own usage needs no scope), then the
 * key's `rpm_limit` on the shared limiter (429 `rate_limited` with Retry-After; 503 `unavailable`
 * when Redis is down: the limit fails closed; the unit is the one this process holds for the key
 * when it holds one: lib/rate-limit/held-unit.ts).
 */
export async function admitHubKey(headers: Pick<Headers, "get">, configVersion: string | null, scope: HubKeyScope | null = "gateway"): Promise<HubKey> {
  const auth = await authenticateHubKey(headers, nowMs(), configVersion);
  if (!auth.ok) throw new GatewayError("invalid_hub_key", auth.message);
  const key = auth.key;
  if (scope && !hasScope(key, scope)) throw new GatewayError("missing_scope", missingScopeMessage(key, scope));
  if (key.rpmLimit !== null) {
    let r;
    try {
      r = await spendRpmUnit(key.id, key.rpmLimit);
    } catch (err) {
      if (err instanceof AppError && err.status === 503) throw new GatewayError("unavailable", "The rate limiter is unavailable; retry shortly", 5);
      throw err;
    }
    if (!r.success) {
      const wait = Math.max(1, Math.ceil((r.reset - nowMs()) / 1000));
      throw new GatewayError("rate_limited", rpmRefusal(key.rpmLimit), wait);
    }
  }
  return key;
}

/** 403 `model_not_allowed` unless the key's patterns allow the model (or, with no model, the whole route). */
export function checkAllowed(key: HubKey, route: string, model: GatewayModel | null): void {
  const ok = model ? isModelAllowed(key.allowed, model) : isWholeRouteAllowed(key.allowed, route);
  if (ok) return;
  const what = model ? `model '${model.route}/${model.model}'` : `every model of route '${route}' (this call names no model)`;
  throw new GatewayError("model_not_allowed", `This hub key may not use ${what}`);
}
