import "server-only";
import { getKeyring } from "@/lib/config/secrets";
import type { Keyring } from "@/lib/crypto/keyring";
import { getProviderKeyBySlug, listProviderKeyRowsByType } from "@/lib/db/queries/provider-keys";
import type { ProviderKey } from "@/lib/db/schema";
import { VersionedCache } from "@/lib/config-version/cache";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { baseUrlFor } from "@/lib/key-checks/run";
import { isProviderType, PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";
import { GatewayError } from "./errors";
import type { ModelSource } from "./models";
import { Redactor } from "./redact";
import type { GatewayTarget } from "./proxy";

/** A target with the provider row it came from (for the usage record). */
export interface ResolvedTarget extends GatewayTarget {
  providerKeyId: string;
}

/**
 * A custom endpoint's route: its name in lower case, every run of other characters than letters,
 * digits, `_`, `.` and `-` made one `-` (`"My vLLM box"` → `my-vllm-box`). A custom endpoint whose
 * route is a provider type's is reached only through that provider, never instead of it.
 */
export function customRoute(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 64);
}

const routes = () => PROVIDER_TYPES.filter((t) => t !== "custom").join(", ");

/** A stored key as the gateway uses it: the plaintext and the redactor that removes it from answers. */
export interface UsableKey {
  key: string;
  redactor: Redactor;
}

/**
 * Plaintext keys by the row object they were decrypted from. The rows below are cached under the
 * configuration token, so a key is decrypted once per row read rather than once per request (the
 * decrypt was ~4.5% of a gateway call's CPU at 32 connections: bench/NOTES.md); a replaced or
 * rotated key comes with a new token, a new row object and so a new decrypt. A WeakMap, not a
 * property: a row that is logged or serialised holds no key, and the key (with its redactor, whose
 * forms are the key's spellings: ~3 µs a call to build) goes with its row.
 */
const plaintexts = new WeakMap<ProviderKey, UsableKey>();

/** The row's key, decrypted once per row object. @throws what the keyring throws. */
export function storedKeyOf(row: ProviderKey, keyring: Pick<Keyring, "decrypt">): UsableKey {
  let usable = plaintexts.get(row);
  if (usable === undefined) {
    const key = keyring.decrypt(row.encryptedKey ?? "", row.encryptionKeyId);
    usable = { key, redactor: new Redactor(key) };
    plaintexts.set(row, usable);
  }
  return usable;
}

/** A built-in provider's key from the environment, with its redactor, kept while the key is the same. */
const envKeys = new Map<ProviderType, UsableKey>();
function envUsableKey(type: ProviderType): UsableKey | null {
  const key = envKeyFor(type);
  if (!key) return null;
  let usable = envKeys.get(type);
  if (usable?.key !== key) envKeys.set(type, (usable = { key, redactor: new Redactor(key) }));
  return usable;
}

function decrypt(row: ProviderKey): UsableKey {
  try {
    return storedKeyOf(row, getKeyring());
  } catch {
    log.error("Gateway: a stored key cannot be decrypted with any configured encryption key", { id: row.id, key_id: row.encryptionKeyId });
    throw new GatewayError("provider_not_configured", `The stored key of provider '${row.name}' cannot be decrypted; an admin must save it again`);
  }
}

/**
 * Provider rows as the gateway reads them, cached under the configuration token of the request
 * (lib/config-version): every change of a provider key replaces the token before its answer, so a
 * disabled provider or a replaced key is seen by every instance's next request. Rows hold only the
 * ciphertext; a key is decrypted once per row read (storedKeyOf).
 */
const g = globalThis as unknown as { __llmhubProviderRows?: { bySlug: VersionedCache<ProviderKey>; custom: VersionedCache<ProviderKey[]> } };
const cached = () => (g.__llmhubProviderRows ??= { bySlug: new VersionedCache(100), custom: new VersionedCache(1) });

async function rowBySlug(slug: string, version: string | null): Promise<ProviderKey | undefined> {
  const hit = cached().bySlug.get(slug, version);
  if (hit) return hit;
  const row = await getProviderKeyBySlug(slug);
  if (row) cached().bySlug.set(slug, version, row);
  return row;
}

async function customRows(version: string | null): Promise<ProviderKey[]> {
  const hit = cached().custom.get("all", version);
  if (hit) return hit;
  const rows = await listProviderKeyRowsByType("custom");
  cached().custom.set("all", version, rows);
  return rows;
}

async function findRow(route: string, version: string | null): Promise<ProviderKey> {
  if (route === "custom") throw new GatewayError("unknown_model", "A custom endpoint is reached by its own route (its name in lower case), e.g. 'my-endpoint/<model>'");
  if (isProviderType(route)) {
    const row = await rowBySlug(route, version);
    if (row) return row;
  } else {
    const row = (await customRows(version)).find((r) => customRoute(r.name) === route);
    if (row) return row;
  }
  throw new GatewayError("unknown_model", `No provider route '${route}' (routes: ${routes()}, or a custom endpoint's name)`);
}

/** The checked address of a custom endpoint's URL (connect there); 502 when the policy refuses it now. */
async function pinnedFor(baseUrl: string): Promise<GatewayTarget["pinned"]> {
  try {
    const allowed = await resolveAllowedUrl(baseUrl, getEnv().PROVIDER_URL_POLICY);
    return { address: allowed.address, family: allowed.family };
  } catch (err) {
    if (err instanceof UrlPolicyError) throw new GatewayError("upstream_unreachable", `The custom endpoint cannot be used: ${err.reason}`);
    throw err;
  }
}

/**
 * The provider a route names, ready for the engine: the row must exist, be enabled and have a key
 * (stored, or for a built-in provider the environment's). A key's health is no reason to refuse.
 */
export async function resolveTarget(route: string, version: string | null): Promise<ResolvedTarget> {
  const row = await findRow(route, version);
  if (!row.enabled) throw new GatewayError("provider_disabled", `Provider '${row.name}' is disabled on this hub`);
  const type = row.providerType as ProviderType;
  if (type === "custom") {
    const baseUrl = row.config.base_url;
    if (!baseUrl || !row.encryptedKey) throw new GatewayError("provider_not_configured", `Custom endpoint '${row.name}' has no key or base URL on this hub`);
    const { key, redactor } = decrypt(row);
    return { providerKeyId: row.id, providerType: type, route, baseUrl, apiKey: key, redactor, pinned: await pinnedFor(baseUrl) };
  }
  const usable = row.encryptedKey ? decrypt(row) : envUsableKey(type);
  if (!usable) throw new GatewayError("provider_not_configured", `Provider '${row.name}' has no key on this hub`);
  return { providerKeyId: row.id, providerType: type, route, baseUrl: baseUrlFor(type)!, apiKey: usable.key, redactor: usable.redactor, pinned: null };
}

/** Every provider the gateway can use now (enabled, with a key), as model-list sources; routes in `only` when given. */
export async function configuredSources(only: (route: string) => boolean, version: string | null): Promise<ModelSource[]> {
  const out: ModelSource[] = [];
  for (const type of PROVIDER_TYPES) {
    const rows = type === "custom" ? await customRows(version) : [await rowBySlug(type, version)];
    for (const row of rows) {
      if (!row?.enabled) continue;
      const route = type === "custom" ? customRoute(row.name) : type;
      if (!route || (type === "custom" && isProviderType(route)) || !only(route)) continue;
      try {
        const t = await resolveTarget(route, version);
        out.push({ route, providerType: t.providerType, baseUrl: t.baseUrl, apiKey: t.apiKey, pinned: t.pinned });
      } catch (err) {
        if (!(err instanceof GatewayError)) throw err; // not configured, refused by the URL policy: not listed
      }
    }
  }
  return out;
}
