import "server-only";
import { cookies } from "next/headers";
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
