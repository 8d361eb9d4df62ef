import { PROVIDER_TYPES, PROVIDERS } from "@/lib/providers/catalogue";

/** A row's unique slug: the provider type, or `custom:<name>` for a custom endpoint (names are case-insensitive). */
export const slugFor = (type: string, name: string) => (type === "custom" ? `custom:${name.toLowerCase()}` : type);

/** The nine rows every deployment lists: eight providers and the "Custom Endpoint" placeholder. */
export const builtinRows = () =>
  PROVIDER_TYPES.map((t) => ({ slug: slugFor(t, PROVIDERS[t].displayName), providerType: t, name: PROVIDERS[t].displayName }));
