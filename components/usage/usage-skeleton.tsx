/** What the tab shows while its first answer loads: the layout's shape, announced as loading. */
export function UsageSkeleton() {
  return (
    <div className="usage-skeleton" aria-busy="true">
      <p className="muted">Loading usage…</p>
      <div className="skeleton-figures" aria-hidden="true">
        {Array.from({ length: 5 }, (_, i) => (
          <span key={i} className="skeleton-block" />
        ))}
      </div>
      <span className="skeleton-block skeleton-chart" aria-hidden="true" />
    </div>
  );
}
