"use client";

import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { RelativeTime } from "@/components/ui/relative-time";
import { DisabledBadge, HealthBadge, SourceBadge } from "./badges";
import type { MenuItem } from "./compact-row-menu";
import { CompactRowMenu } from "./compact-row-menu";
import { useRowActivity } from "./mutations";
import { isPlaceholder, rowDomId, type RowAction, type RowHistory, TestRequestError } from "./provider-card";
import type { ProviderRow } from "./queries";
import { DEGRADED } from "./test-outcome";
import { UptimeBar } from "./uptime-bar";
import { useRowTest } from "./use-row-test";

/** One provider on one line: the same facts and actions as its card, the actions in a menu. */
export function CompactRow({ row, onAction, history }: { row: ProviderRow; onAction: (action: RowAction, row: ProviderRow) => void; history?: RowHistory }) {
  const { test, last, testedAt } = useRowTest(row);
  const activity = useRowActivity(row.id);
  const stored = row.key_source === "database";
  const placeholder = isPlaceholder(row);

  const items: MenuItem[] = [];
  if (row.has_key) items.push({ key: "test", label: "Test key", icon: "test", busy: test.isPending, onSelect: () => test.mutate() });
  items.push(
    placeholder
      ? { key: "key", label: "Add custom endpoint", icon: "add", onSelect: () => onAction("key", row) }
      : { key: "key", label: stored ? "Replace key" : "Add key", icon: "key", onSelect: () => onAction("key", row) },
  );
  if (!placeholder) items.push({ key: "edit", label: "Edit", icon: "edit", onSelect: () => onAction("edit", row) });
  if (stored) items.push({ key: "delete", label: row.provider_type === "custom" ? "Delete endpoint" : "Delete key", icon: "delete", danger: true, busy: activity.deleting, onSelect: () => onAction("delete", row) });

  return (
    <tr id={rowDomId(row)} tabIndex={-1} className={row.enabled ? undefined : "compact-disabled"}>
      <th scope="row">
        <span className="compact-name">
          <ProviderLogo type={row.provider_type} />
          <span>
            <span className="compact-name-text">{row.name}</span>
            {row.provider_type === "custom" && !placeholder && <span className="compact-sub muted">Custom endpoint</span>}
            {!row.enabled && <DisabledBadge />}
          </span>
        </span>
      </th>
      <td>
        <SourceBadge source={row.key_source} />
      </td>
      <td>{row.key_preview ? <code className="key-preview">{row.key_preview}</code> : <span className="muted">None</span>}</td>
      <td>
        <HealthBadge health={row.health_status} />
      </td>
      <td>
        <div role="status" className="compact-status">
          {test.isPending ? (
            <span>
              <span className="spinner" aria-hidden="true" /> Testing…
            </span>
          ) : activity.deleting ? (
            <span className="muted">Deleting…</span>
          ) : activity.saving ? (
            <span className="muted">Saving…</span>
          ) : test.isError ? (
            <TestRequestError error={test.error} />
          ) : (
            <LastTest last={last} testedAt={testedAt} />
          )}
        </div>
      </td>
      <td>{history && row.has_key ? <UptimeBar health={history.health} window={history.window} since={history.since} bucketSeconds={history.bucketSeconds} /> : <span className="muted">–</span>}</td>
      <td className="compact-actions">
        <CompactRowMenu label={`Actions for ${row.name}`} items={items} />
      </td>
    </tr>
  );
}

/** "✓ Key works · 5 minutes ago": the full explanation and advice are on the card view. */
function LastTest({ last, testedAt }: { last: ReturnType<typeof useRowTest>["last"]; testedAt: string | null }) {
  if (!testedAt) return <span className="muted">Never</span>;
  const degraded = !!last && !last.success && last.error_code !== null && DEGRADED.has(last.error_code);
  const tone = !last ? "muted" : last.success ? "outcome-ok" : degraded ? "outcome-warn" : "outcome-bad";
  const words = !last ? "Tested" : last.success ? "Key works" : (last.error ?? "Test failed");
  return (
    <span className={tone} title={words}>
      <span aria-hidden="true">{!last ? "" : last.success ? "✓ " : degraded ? "! " : "✗ "}</span>
      <span className="compact-outcome">{words}</span> · <RelativeTime iso={testedAt} />
    </span>
  );
}
