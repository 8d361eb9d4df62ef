/** Ends the session on the server (the same endpoint API clients use), then goes to sign-in. */
export async function signOut(): Promise<void> {
  try {
    await fetch("/api/v1/auth/logout", { method: "POST" });
  } finally {
    // a full page load on purpose: no cached data of the signed-out user stays in the page
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/login");
  }
}
