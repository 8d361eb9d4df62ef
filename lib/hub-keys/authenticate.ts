import "server-only";
import type { HubKey } from "@/lib/db/schema";
import { readConfigVersion } from "@/lib/config-version/version";
import { lookupHubKey } from "./cache";
import { noteHubKeyUse } from "./last-used";
import { AppError } from "@/lib/errors";
import { rpmRefusal, spendRpmUnit } from "@/lib/rate-limit/per-key";
import { hasScope, type HubKeyScope, missingScopeMessage } from "./scopes";
import { hashHubKey, isHubKeyShape, readPresentedKey } from "./token";

export type HubKeyAuth = { ok: true; key: HubKey } | { ok: false; message: string };

const INVALID = "Invalid hub key";

/**
 * The hub key a gateway request presents, checked: it must be well formed, known, not deleted,
 * enabled and not expired. Messages name what is wrong, never the key. `version` is the
 * configuration token the caller read for this request (lib/config-version); read here if not given.
 */
export async function authenticateHubKey(headers: Pick<Headers, "get">, now = Date.now(), version?: string | null): Promise<HubKeyAuth> {
  const presented = readPresentedKey(headers);
  if (!presented.ok) return { ok: false, message: presented.message };
  if (!isHubKeyShape(presented.key)) return { ok: false, message: `${INVALID} (hub keys look like llmhub_…, 47 characters)` };
  const row = await lookupHubKey(hashHubKey(presented.key), version === undefined ? await readConfigVersion() : version);
  const refusal = refusalOf(row, now);
  if (refusal) return { ok: false, message: refusal };
  noteHubKeyUse(row!.id, now);
  return { ok: true, key: row! };
}

/** Why a key's row refuses a request (unknown, deleted, disabled, expired), or null when it may be used. */
function refusalOf(row: HubKey | null | undefined, now: number): string | null {
  if (!row || row.deletedAt) return INVALID;
  if (!row.enabled) return "This hub key is disabled";
  if (row.expiresAt && row.expiresAt.getTime() <= now) return "This hub key has expired";
  return null;
}

/**
 * For the hub-key endpoints outside the gateway (they answer `{detail, code}`): the presented key,
 * valid (401 `invalid_hub_key`), holding `scope` (403 `missing_scope`) and within its `rpm_limit`
 * (429 `rate_limited` with Retry-After), the same count as its gateway calls.
 */
export async function requireHubKey(headers: Headers, scope: HubKeyScope): Promise<HubKey> {
  const auth = await authenticateHubKey(headers);
  if (!auth.ok) throw new AppError("invalid_hub_key", auth.message);
  if (!hasScope(auth.key, scope)) throw new AppError("missing_scope", missingScopeMessage(auth.key, scope));
  const rpm = auth.key.rpmLimit;
  if (rpm !== null) {
    // the key's rpm_limit counts every request it makes of the hub, on the gateway's shared limiter
    // (one count per key; 503 when Redis is down: the limit fails closed)
    const limit = await spendRpmUnit(auth.key.id, rpm);
    if (!limit.success) throw new AppError("rate_limited", rpmRefusal(rpm), { limit });
  }
  return auth.key;
}
