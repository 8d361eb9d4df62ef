/**
 * The app's origin under either scheme (`next` is only checked for leaving it, so these never leak
 * out). Both, because "http:evil.example" is a path on an http origin and another host on https.
 */
const BASES = [new URL("https://app.invalid/"), new URL("http://app.invalid/")];

/**
 * Where sign-in may send the browser afterwards (`?next=`), shared by the sign-in page, its form and
 * the redirect of a visitor already signed in. `next` is resolved the way a browser resolves a
 * Location header (tabs and newlines dropped, backslashes read as slashes), and kept only when the
 * result stays on the app's origin, as a path that cannot be read as another host: "/\t/evil.example"
 * and "/.//evil.example" both become "//evil.example" in a browser. The answer is the normalised
 * path, query and fragment (escaped, so safe in a header), or "/".
 */
export function signInTarget(next: string | null | undefined): string {
  if (!next) return "/";
  let target: string | null = null;
  for (const base of BASES) {
    let url: URL;
    try {
      url = new URL(next, base);
    } catch {
      return "/";
    }
    if (url.origin !== base.origin || url.pathname.startsWith("//")) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    if (target !== null && path !== target) return "/";
    target = path;
  }
  return target ?? "/";
}
