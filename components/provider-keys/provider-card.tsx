"use client";

import { Icon } from "@/components/icons/icon";
import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { RelativeTime } from "@/components/ui/relative-time";
import { explainFailure, failureTone } from "@/components/client/action-call";
import { providerOf } from "./advice";
import { CreditLeft } from "./credit-left";
import { DisabledBadge, HealthBadge, SourceBadge } from "./badges";
import { useRowActivity } from "./mutations";
import type { KeyHealthOverview, ProviderRow } from "./queries";
import { TestOutcome } from "./test-outcome";
import { LastFailure, UptimeBar } from "./uptime-bar";
import { Usage24h } from "./usage-24h";
import { useRowTest } from "./use-row-test";

export type RowAction = "key" | "edit" | "delete";

/** Why a test request itself failed (session, rate limit, network), in the tone its cause deserves. */
export function TestRequestError({ error }: { error: unknown }) {
  return <span className={failureTone(error)}>{explainFailure(error)}</span>;
}

export const rowDomId = (row: ProviderRow) => `provider-${row.id}`;

/** A custom row without a key is the "Custom Endpoint" placeholder (a named endpoint always has one). */
export const isPlaceholder = (row: ProviderRow) => row.provider_type === "custom" && row.key_source !== "database";

/** The description under a row's name: the catalogue's, or where a custom endpoint points. */
export function describeRow(row: ProviderRow): string {
  if (row.provider_type === "custom" && row.config.base_url) return `OpenAI-compatible endpoint at ${row.config.base_url}`;
  return providerOf(row).description;
}

/** One provider: what it has, how its last test went, and its actions (each with its own pending state). */
export interface RowHistory {
  health: KeyHealthOverview | undefined;
  window: "24h" | "7d";
  since: string;
  bucketSeconds: number;
}

export function ProviderCard({ row, onAction, history }: { row: ProviderRow; onAction: (action: RowAction, row: ProviderRow) => void; history?: RowHistory }) {
  const provider = providerOf(row);
  const { test, last, testedAt } = useRowTest(row);
  const activity = useRowActivity(row.id);
  const titleId = `${rowDomId(row)}-title`;
  const stored = row.key_source === "database";
  const placeholder = isPlaceholder(row);

  return (
    <article className="card" id={rowDomId(row)} aria-labelledby={titleId} tabIndex={-1}>
      <div className="card-head">
        <div className="card-name">
          <ProviderLogo type={row.provider_type} tile />
          <div>
            <h2 id={titleId} className="card-title">
              {row.name}
            </h2>
            {row.provider_type === "custom" && !placeholder && <span className="muted small"> Custom endpoint</span>}
            <p className="muted small card-description">{describeRow(row)}</p>
          </div>
        </div>
        <div className="badges">
          <SourceBadge source={row.key_source} />
          <HealthBadge health={row.health_status} />
          {!row.enabled && <DisabledBadge />}
        </div>
      </div>

      <dl className="facts">
        <div>
          <dt>Key</dt>
          <dd>{row.key_preview ? <code className="key-preview">{row.key_preview}</code> : <span className="muted">None</span>}</dd>
        </div>
        <div>
          <dt>Last tested</dt>
          <dd>{testedAt ? <RelativeTime iso={testedAt} /> : <span className="muted">Never</span>}</dd>
        </div>
        {last?.credits && testedAt && (
          <div>
            <dt>Credit</dt>
            <dd>
              <CreditLeft credits={last.credits} readAt={testedAt} />
            </dd>
          </div>
        )}
        {row.has_key && (
          <div>
            <dt>Requests, 24 h</dt>
            <dd>
              <Usage24h providerKeyId={row.id} name={row.name} />
            </dd>
          </div>
        )}
        {history && row.has_key && (
          <>
            <div className="fact-wide">
              <dt>Checks, {history.window === "24h" ? "24 h" : "7 days"}</dt>
              <dd>
                <UptimeBar health={history.health} window={history.window} since={history.since} bucketSeconds={history.bucketSeconds} />
              </dd>
            </div>
            <div>
              <dt>Last failure</dt>
              <dd>
                <LastFailure health={history.health} />
              </dd>
            </div>
          </>
        )}
      </dl>

      <div className="card-status" role="status">
        {test.isPending ? (
          <p className="outcome">
            <span className="spinner" aria-hidden="true" /> Testing {row.name}…
          </p>
        ) : (
          <>
            {test.isError && <p className={`outcome ${failureTone(test.error)}`}>{explainFailure(test.error)}</p>}
            {last && <TestOutcome result={last} provider={provider} />}
          </>
        )}
        {activity.saving && <p className="muted small">Saving changes…</p>}
        {activity.deleting && <p className="muted small">Deleting…</p>}
      </div>

      <div className="actions">
        {row.has_key && (
          <button
            type="button"
            className="btn-secondary"
            aria-disabled={test.isPending}
            onClick={() => !test.isPending && test.mutate()}
          >
            <Icon name="test" />
            {test.isPending ? "Testing…" : "Test"}
            <span className="sr-only"> {row.name} key</span>
          </button>
        )}
        <button type="button" className={stored ? "btn-secondary" : undefined} onClick={() => onAction("key", row)}>
          <Icon name={placeholder ? "add" : "key"} />
          {placeholder ? "Add custom endpoint" : stored ? "Replace key" : "Add key"}
          {!placeholder && <span className="sr-only"> for {row.name}</span>}
        </button>
        {!placeholder && (
          <button type="button" className="btn-secondary" onClick={() => onAction("edit", row)}>
            <Icon name="edit" />
            Edit<span className="sr-only"> {row.name}</span>
          </button>
        )}
        {stored && (
          <button type="button" className="btn-danger" aria-disabled={activity.deleting} onClick={() => !activity.deleting && onAction("delete", row)}>
            <Icon name="delete" />
            {activity.deleting ? "Deleting…" : "Delete"}
            <span className="sr-only"> {row.name} key</span>
          </button>
        )}
      </div>
    </article>
  );
}
