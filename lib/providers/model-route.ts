/**
 * Gateway model names and a hub key's `allowed` patterns.
 *
 * A gateway model is `<route>/<model>`: the route is a provider type or a custom endpoint's slug,
 * the rest is the provider's own id and may hold more slashes (`openrouter/meta-llama/llama-3.1-8b`).
 * Routes are the hub's own lower-case names, so the route part is compared ignoring case; the model
 * part is the provider's id and is kept and compared exactly, as providers treat ids case-sensitively.
 *
 * Patterns are globs where `*` (any run of characters, `/` included) is the only special character,
 * anchored at both ends: `openai/*`, `groq/llama-*`, `openrouter/anthropic/*`, `*` (everything). A
 * bare route (`openai`) means the whole route. An empty list allows everything.
 */

export interface GatewayModel {
  /** Lower-case route: a provider type or a custom endpoint's slug. */
  route: string;
  /** The provider's own model id, exactly as given. */
  model: string;
}

export const MAX_PATTERN_LENGTH = 200;
const ROUTE_SHAPE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Splits `<route>/<model>`; null when either part is missing or the route is not a route name. */
export function parseGatewayModel(name: string): GatewayModel | null {
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1) return null;
  const route = name.slice(0, slash).toLowerCase();
  if (!ROUTE_SHAPE.test(route)) return null;
  return { route, model: name.slice(slash + 1) };
}

/** The canonical form of a pattern (route part lower-cased, a bare route widened to `route/*`). */
export function normalizePattern(pattern: string): string {
  const p = pattern.trim();
  const slash = p.indexOf("/");
  if (slash < 0) return p === "*" ? "*" : `${p.toLowerCase()}/*`;
  return p.slice(0, slash).toLowerCase() + p.slice(slash);
}

/** Why a pattern is refused (for the hub-keys API's 400), or null when it is usable. */
export function patternProblem(pattern: string): string | null {
  const p = pattern.trim();
  if (p === "") return "must not be empty";
  if (p.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (/[\s\u0000-\u001f\u007f]/.test(p)) return "must not contain spaces or control characters";
  const route = normalizePattern(p).split("/")[0] ?? "";
  if (route !== "*" && !/^[a-z0-9_.*-]+$/.test(route)) return "must start with a route (a provider type or custom endpoint slug), e.g. 'openai/*'";
  return null;
}

/** Anchored glob match with `*` only; iterative, so no pattern can make it backtrack exponentially. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

const nameOf = (m: GatewayModel) => `${m.route}/${m.model}`;

/** Whether a hub key with these patterns may use the model. */
export function isModelAllowed(patterns: readonly string[], model: GatewayModel): boolean {
  if (patterns.length === 0) return true;
  const name = nameOf(model);
  return patterns.some((p) => globMatch(normalizePattern(p), name));
}

/**
 * Whether the key may use every model of a route: what a request with no model to check needs (a
 * native call such as a model list or a file upload, where the hub cannot see which model it is for).
 */
export function isWholeRouteAllowed(patterns: readonly string[], route: string): boolean {
  if (patterns.length === 0) return true;
  const r = route.toLowerCase();
  return patterns.some((raw) => {
    const p = normalizePattern(raw);
    if (p === "*") return true;
    const slash = p.indexOf("/");
    return slash > 0 && p.slice(slash + 1) === "*" && globMatch(p.slice(0, slash), r);
  });
}
