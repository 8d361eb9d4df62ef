"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useHourStart } from "@/components/client/use-hour-start";
import { useHydrated } from "@/components/client/use-hydrated";
import "./usage.css";
import { ChartLegend } from "./chart-legend";
import { ChartTable } from "./chart-table";
import { FirstRequest } from "./first-request";
import { HeadlineFigures } from "./headline-figures";
import { ProviderStats } from "./provider-stats";
import { dashboardQuery } from "./queries";
import { UsageSkeleton } from "./usage-skeleton";
import { UsageToolbar } from "./usage-toolbar";
import { UsedMost } from "./used-most";
import { apiSearch, GROUPS, METRICS, previousLabel, readView, RANGES, type UsageView, viewSearch } from "./view";

// the chart library is only downloaded for this tab, after the rest of the page has drawn
const UsageChart = dynamic(() => import("./usage-chart"), { ssr: false, loading: () => <div className="chart-box chart-loading" aria-hidden="true" /> });

/** The Usage tab: which providers, models and keys are used most, over a range in the URL. */
export function UsageTab() {
  const params = useSearchParams();
  const pathname = usePathname();
  const hydrated = useHydrated();
  // the view changes at once on a click; the URL follows (history.replaceState: no server round
  // trip), and a URL changed from outside (back, forward, a link) is followed in turn
  const fromUrl = readView(params);
  const [view, setLocalView] = useState(fromUrl);
  const [seen, setSeen] = useState(viewSearch(fromUrl));
  if (viewSearch(fromUrl) !== seen) {
    setSeen(viewSearch(fromUrl));
    setLocalView(fromUrl);
  }
  const hourStart = useHourStart();
  const search = apiSearch(view, hourStart);
  const query = useQuery(dashboardQuery(search));
  const data = query.data;
  const setView = (v: UsageView) => {
    setLocalView(v);
    window.history.replaceState(null, "", `${pathname}${viewSearch(v)}`);
  };
  const groupLabel = GROUPS.find((g) => g.id === view.group)!.label;
  const metricLabel = METRICS.find((m) => m.id === view.metric)!.label;
  const rangeLabel = view.range === "custom" ? `${view.from} to ${view.to} (UTC)` : `the last ${RANGES.find((r) => r.id === view.range)!.label}`;
  const versus = previousLabel(view);

  return (
    <section aria-labelledby="usage-title" className="usage" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="usage-title" tabIndex={-1}>
          Usage
        </h1>
        <p className="muted">What the gateway&apos;s requests used, from the hourly rollups: which providers, models and keys are used most.</p>
      </div>
      <UsageToolbar now={hourStart} view={view} onChange={setView} csvHref={hydrated ? `/api/v1/llm/usage/export.csv?${search}` : undefined} />
      {view.providerKey && (
        <p className="usage-filter">
          Only the requests through one provider key{data?.providers[0]?.route ? ` (${data.providers[0].route})` : ""}.{" "}
          <button type="button" className="btn-ghost btn-small" onClick={() => setView({ ...view, providerKey: null })}>
            Show every provider
          </button>
        </p>
      )}
      {query.isError && (
        <div role="alert" className="banner banner-bad usage-error">
          <span>{data ? `Could not refresh: ${query.error.message}` : `Could not load usage: ${query.error.message}`}</span>
          <button type="button" className="btn-secondary btn-small" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      )}
      <p className="sr-only" aria-live="polite">
        {query.isFetching ? "Loading usage…" : data ? `Usage for ${rangeLabel}, grouped by ${groupLabel.toLowerCase()}.` : ""}
      </p>
      {!data ? (
        !query.isError && <UsageSkeleton />
      ) : !data.totals ? (
        <FirstRequest filtered={Boolean(view.providerKey)} />
      ) : (
        <div className="usage-body" aria-busy={query.isFetching && query.isPlaceholderData}>
          <HeadlineFigures totals={data.totals} previous={data.previous.totals} versus={versus} />
          <section className="usage-panel" aria-labelledby="usage-chart-title">
            <div className="usage-panel-head">
              <h2 id="usage-chart-title">
                {metricLabel} per {data.interval}, by {groupLabel.toLowerCase()}
              </h2>
              <fieldset className="segmented segmented-small">
                <legend className="sr-only">Chart figure</legend>
                {METRICS.map((m) => (
                  <label key={m.id} className="segment" data-checked={view.metric === m.id || undefined}>
                    <input type="radio" name="usage-metric" value={m.id} checked={view.metric === m.id} onChange={() => setView({ ...view, metric: m.id })} />
                    {m.label}
                  </label>
                ))}
              </fieldset>
            </div>
            <div className="chart-box">
              <UsageChart buckets={data.chart.buckets} series={data.chart.series} metric={view.metric} interval={data.interval} />
            </div>
            <ChartLegend series={data.chart.series} />
            <ChartTable buckets={data.chart.buckets} series={data.chart.series} metric={view.metric} interval={data.interval} caption={`${metricLabel} per ${data.interval}, by ${groupLabel.toLowerCase()}, ${rangeLabel}`} />
          </section>
          <div className="usage-columns">
            <UsedMost groups={data.groups} total={data.totals.requests} groupLabel={groupLabel} />
            <ProviderStats providers={data.providers} />
          </div>
        </div>
      )}
    </section>
  );
}
