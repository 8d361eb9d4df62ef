import { redirectToSignIn } from "./sign-in-redirect";

/**
 * GETs one of the app's JSON routes for a react-query read: an expired session goes to sign-in (and
 * back); any other failure becomes an Error whose message is the API's `detail` or a sentence.
 */
export async function getJson<T>(path: string, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    throw new Error("Could not reach the server. Check your connection.");
  }
  if (res.status === 401) {
    redirectToSignIn();
    throw new Error("Your session has ended. Taking you to sign in…");
  }
  const body = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.detail ?? `Could not load ${what} (HTTP ${res.status}).`);
  return body;
}
