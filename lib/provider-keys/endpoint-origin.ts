/**
 * Where a custom endpoint's stored key may go. A key follows its base URL within one origin (scheme,
 * host and port): that server already receives the key at every test, so a new path there tells it
 * nothing new. Another origin could be anyone's, so moving there takes the key again (see
 * patchProviderKey); the edit dialog uses the same rule to ask for it. No server-only imports: the
 * browser runs this too.
 */

/** The origin a base URL sends requests to, or null when it is not an http(s) URL. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const { protocol, origin } = new URL(url.trim());
    return protocol === "http:" || protocol === "https:" ? origin : null;
  } catch {
    return null;
  }
}

/** True unless both URLs parse and share an origin (so an unreadable old URL never lets a key move). */
export function leavesOrigin(from: string | null | undefined, to: string): boolean {
  const a = originOf(from);
  return a === null || a !== originOf(to);
}
