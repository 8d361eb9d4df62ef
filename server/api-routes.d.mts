// Types for api-routes.mjs (plain JavaScript: the server runs it with Node, before any build step).
export type Segment = { kind: "static" | "dynamic" | "catch-all" | "optional-catch-all"; name: string };
export interface ApiRoute {
  page: string;
  segments: Segment[];
  file: string;
}
export type Params = Record<string, string | string[]>;
export function apiRoutesFromManifest(manifest: Record<string, string>): ApiRoute[];
export function apiMatcher(routes: ApiRoute[]): (pathname: string) => { route: ApiRoute; params: Params } | null;
export function loadApiRoutes(distDir: string): ApiRoute[];
