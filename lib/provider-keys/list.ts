import "server-only";
import { listProviderKeyRows } from "@/lib/db/queries/provider-keys";
import { PROVIDER_TYPES, PROVIDERS } from "@/lib/providers/catalogue";
import { toProviderKeyView } from "./serialize";

const stored = (r: { key_source: string }) => Number(r.key_source === "database");

/**
 * Every provider (built-in rows are seeded) and every custom endpoint, masked; decrypts nothing.
 * Rows with a stored key first, then by priority descending, then by name (contract.md section 2):
 * an environment key is not a stored key, so its row sorts among the rest by priority.
 */
export async function listProviderKeys() {
  const rows = (await listProviderKeyRows()).map(toProviderKeyView);
  rows.sort((a, b) => stored(b) - stored(a) || b.priority - a.priority || a.name.localeCompare(b.name));
  return { success: true as const, total: rows.length, providers: rows };
}

/** The catalogue (docs/api.md, "GET /api/v1/llm/providers/info"). */
export function providerInfo() {
  const providers = PROVIDER_TYPES.map((t) => {
    const p = PROVIDERS[t];
    return {
      provider_type: t,
      display_name: p.displayName,
      description: p.description,
      key_format: p.keyFormat,
      supports_test: true,
      auth_type: p.authType,
      docs_url: p.docsUrl,
      env_var: p.envVars[0] ?? null,
      default_base_url: p.defaultBaseUrl,
    };
  });
  return { success: true as const, total: providers.length, providers };
}
