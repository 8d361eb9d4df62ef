/** Ends the session on the server (the same endpoint API clients use), then goes to sign-in. */
export async function signOut(): Promise<void> {
  try {
    await fetch("/api/v1/auth/logout", { method: "POST" });
  } finally {
    window.location.assign("/login");
  }
}
