import "server-only";
import type { HubKey } from "@/lib/db/schema";
import { readConfigVersion } from "@/lib/config-version/version";
import { lookupHubKey } from "./cache";
import { noteHubKeyUse } from "./last-used";
import { AppError } from "@/lib/errors";
import { hasScope, type HubKeyScope, missingScopeMessage } from "./scopes";
import { hashHubKey, isHubKeyShape, readPresentedKey } from "./token";

export type HubKeyAuth = { ok: true; key: HubKey } | { ok: false; message: string };

const INVALID = "Invalid hub key";

/**
 * The hub key a gateway request presents, checked: it must be well formed, known, not deleted,
 * enabled and not expired. Messages name what is wrong, never the key. `version` is the
 * configuration token the caller read for this request (lib/config-version); read here if not given.
 */
export async function authenticateHubKey(headers: Headers, now = Date.now(), version?: string | null): Promise<HubKeyAuth> {
  const presented = readPresentedKey(headers);
  if (!presented.ok) return { ok: false, message: presented.message };
  if (!isHubKeyShape(presented.key)) return { ok: false, message: `${INVALID} (hub keys look like llmhub_…, 47 characters)` };
  const row = await lookupHubKey(hashHubKey(presented.key), version === undefined ? await readConfigVersion() : version);
  if (!row || row.deletedAt) return { ok: false, message: INVALID };
  if (!row.enabled) return { ok: false, message: "This hub key is disabled" };
  if (row.expiresAt && row.expiresAt.getTime() <= now) return { ok: false, message: "This hub key has expired" };
  noteHubKeyUse(row.id, now);
  return { ok: true, key: row };
}

/**
 * For the hub-key endpoints outside the gateway (they answer `{detail, code}`): the presented key,
 * valid (401 `invalid_hub_key`) and holding `scope` (403 `missing_scope`).
 */
export async function requireHubKey(headers: Headers, scope: HubKeyScope): Promise<HubKey> {
  const auth = await authenticateHubKey(headers);
  if (!auth.ok) throw new AppError("invalid_hub_key", auth.message);
  if (!hasScope(auth.key, scope)) throw new AppError("missing_scope", missingScopeMessage(auth.key, scope));
  return auth.key;
}
