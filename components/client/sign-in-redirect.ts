import { signInTarget } from "@/lib/auth/sign-in-target";

/** Sends the browser to sign-in, to come back to the page it is on. Used when a session expires. */
export function redirectToSignIn(): void {
  const here = signInTarget(`${window.location.pathname}${window.location.search}`);
  // a full page load on purpose: nothing of the expired session's client state survives
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}
