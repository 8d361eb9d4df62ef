/** Placeholder cards for the very first load only; refetches keep the list on screen. */
export function HubKeysSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        Loading hub keys…
      </p>
      <ul className="provider-list" aria-hidden="true">
        {Array.from({ length: 3 }, (_, i) => (
          <li key={i}>
            <div className="card skeleton">
              <div className="skeleton-line wide" />
              <div className="skeleton-line" />
              <div className="skeleton-line short" />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
