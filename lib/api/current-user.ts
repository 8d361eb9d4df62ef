import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ensureReady } from "@/lib/boot";
import { resolveSession, SESSION_COOKIE, type SessionUser } from "@/lib/auth/session";

/** The signed-in user for a page or server action (null when signed out or the session is gone). */
export async function currentUser(jar: { get(name: string): { value: string } | undefined }): Promise<SessionUser | null> {
  await ensureReady();
  return resolveSession(jar.get(SESSION_COOKIE)?.value);
}

/** The same, from the request's cookies, looked up once per server render (layout and page share it). */
export const currentPageUser = cache(async (): Promise<SessionUser | null> => currentUser(await cookies()));

/**
 * The signed-in user of a page whose view lives in its query string; signed out, the browser goes
 * to sign-in and comes back to the same view.
 */
export async function pageUserOrSignIn(path: string, searchParams: Promise<Record<string, string | string[] | undefined>>): Promise<SessionUser> {
  const user = await currentPageUser();
  if (user) return user;
  const q = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  redirect(`/login?next=${encodeURIComponent(q.size ? `${path}?${q}` : path)}`);
}
