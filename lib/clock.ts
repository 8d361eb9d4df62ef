/**
 * The process's own clock, for the gateway's per-request path. Next's production server replaces
 * `Date` (and `Date.now`) with wrappers that ask, on every call, whether a prerender is reading the
 * time (its cacheComponents checks); a gateway request, which no prerender serves, made several such
 * calls at ~1 µs each (bench/NOTES.md). server.mjs keeps the originals before it loads Next; under
 * `next dev` and in tests the global ones are used. Dates made here are ordinary Dates
 * (`instanceof Date` holds: Next's wrapper shares the original's prototype).
 */
const saved = (globalThis as { [k: symbol]: unknown })[Symbol.for("llmhub.clock")] as { Date?: DateConstructor } | undefined;
// looked up per call otherwise, so that a test's fake timers (which replace the global Date) apply
const own: DateConstructor | null = typeof saved?.Date === "function" ? saved.Date : null;

/** Milliseconds since the epoch (Date.now()). */
export function nowMs(): number {
  return own ? own.now() : Date.now();
}

/** The current time as a Date (new Date()). */
export function newDate(): Date {
  return own ? new own() : new Date();
}
