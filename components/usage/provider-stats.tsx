import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { formatInt, formatMs, formatPercent } from "./format";
import type { UsageDashboard } from "./queries";

/** Error rate and latency per provider, as a table (readable as is, by anyone). */
export function ProviderStats({ providers }: { providers: UsageDashboard["providers"] }) {
  return (
    <section className="usage-panel" aria-labelledby="provider-stats-title">
      <h2 id="provider-stats-title">Errors and latency per provider</h2>
      <div className="table-scroll">
        <table className="stats-table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Requests</th>
              <th scope="col">Error rate</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.route ?? "?"}>
                <th scope="row">
                  <span className="stats-provider">
                    {p.provider_type && <ProviderLogo type={p.provider_type} size="sm" />}
                    {p.route}
                  </span>
                </th>
                <td>{formatInt(p.requests)}</td>
                <td className={p.error_rate !== null && p.error_rate >= 0.05 ? "stat-bad" : undefined}>{formatPercent(p.error_rate)}</td>
                <td>{formatMs(p.latency_ms.p50)}</td>
                <td>{formatMs(p.latency_ms.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
