import type { HubKeyScope } from "@/lib/db/schema";

export type { HubKeyScope };

/**
 * What a hub key may be used for: `gateway` (call LLMs through the hub; every key had it before
 * scopes existed, and a new key gets it unless told otherwise) and `ingest` (post usage records that
 * did not pass through the hub, POST /api/v1/llm/usage/events). A key may hold both.
 */
export const HUB_KEY_SCOPES = ["gateway", "ingest"] as const satisfies readonly HubKeyScope[];
export const DEFAULT_SCOPES: HubKeyScope[] = ["gateway"];

/** Whether a key's row grants a scope. */
export const hasScope = (key: { scopes: readonly string[] }, scope: HubKeyScope): boolean => key.scopes.includes(scope);

/** Why a key without a scope is refused: what it lacks and what it has, never the key. */
export const missingScopeMessage = (key: { scopes: readonly string[] }, scope: HubKeyScope): string =>
  `This hub key does not have the '${scope}' scope (it has: ${key.scopes.join(", ") || "none"}); an admin can add it on the Hub Keys tab`;
