import { Icon, type IconName } from "@/components/icons/icon";
import type { ProviderRow } from "./queries";

const SOURCE: Record<string, { label: string; tone: string; hint: string; icon: IconName }> = {
  database: { label: "Database", tone: "info", hint: "A key stored (encrypted) in the hub", icon: "database" },
  environment: { label: "Environment", tone: "neutral", hint: "No stored key; the server's environment variable is used", icon: "environment" },
  not_set: { label: "Not set", tone: "muted", hint: "No key anywhere", icon: "not-set" },
};

const HEALTH: Record<string, { label: string; tone: string; hint: string; icon: IconName }> = {
  healthy: { label: "Healthy", tone: "ok", hint: "The last test passed", icon: "healthy" },
  degraded: { label: "Degraded", tone: "warn", hint: "The provider was rate limiting, slow or down; the key is probably fine", icon: "degraded" },
  unhealthy: { label: "Unhealthy", tone: "bad", hint: "The key was refused: invalid, forbidden or out of credit", icon: "unhealthy" },
  unknown: { label: "Unknown", tone: "muted", hint: "Not tested yet", icon: "unknown" },
};

// The icon tells the states apart without relying on colour alone.
function Badge({ tone, label, hint, kind, icon }: { tone: string; label: string; hint: string; kind: string; icon: IconName }) {
  return (
    <span className={`badge badge-${tone}`} title={hint}>
      <Icon name={icon} />
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
  return <Badge kind="Status" tone="muted" icon="disabled" label="Disabled" hint="Skipped by background checks and by anything that uses keys" />;
}
