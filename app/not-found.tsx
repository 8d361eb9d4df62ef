import Link from "next/link";

export const metadata = { title: "Page not found" };

/** The app's own not-found page: Next's built-in one styles itself inline, which the CSP refuses. */
export default function NotFound() {
  return (
    <main className="login">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link href="/">Go to the LLM Hub</Link>
    </main>
  );
}
