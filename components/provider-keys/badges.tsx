import type { ProviderRow } from "./queries";

const SOURCE: Record<string, { label: string; tone: string; hint: string }> = {
  database: { label: "Database", tone: "info", hint: "A key stored (encrypted) in the hub" },
  environment: { label: "Environment", tone: "neutral", hint: "No stored key; the server's environment variable is used" },
  not_set: { label: "Not set", tone: "muted", hint: "No key anywhere" },
};

const HEALTH: Record<string, { label: string; tone: string; hint: string }> = {
  healthy: { label: "Healthy", tone: "ok", hint: "The last test passed" },
  degraded: { label: "Degraded", tone: "warn", hint: "The provider was rate limiting, slow or down; the key is probably fine" },
  unhealthy: { label: "Unhealthy", tone: "bad", hint: "The key was refused: invalid, forbidden or out of credit" },
  unknown: { label: "Unknown", tone: "muted", hint: "Not tested yet" },
};

function Badge({ tone, label, hint, kind }: { tone: string; label: string; hint: string; kind: string }) {
  return (
    <span className={`badge badge-${tone}`} title={hint}>
      <span className="sr-only">{kind}: </span>
      {label}
    </span>
  );
}

/** Where the key comes from, in the API's own words. */
export function SourceBadge({ source }: { source: ProviderRow["key_source"] }) {
  const s = SOURCE[source] ?? SOURCE.not_set!;
  return <Badge kind="Key source" {...s} />;
}

/** The stored health, in the API's one vocabulary (healthy, degraded, unhealthy, unknown). */
export function HealthBadge({ health }: { health: ProviderRow["health_status"] }) {
  const h = HEALTH[health] ?? HEALTH.unknown!;
  return <Badge kind="Health" {...h} />;
}

export function DisabledBadge() {
  return <Badge kind="Status" tone="muted" label="Disabled" hint="Skipped by background checks and by anything that uses keys" />;
}
