import "server-only";
import { ensureReady } from "@/lib/boot";
import { resolveSession, SESSION_COOKIE, type SessionUser } from "./session";

/** The signed-in user for a page or server action (null when signed out or the session is gone). */
export async function currentUser(jar: { get(name: string): { value: string } | undefined }): Promise<SessionUser | null> {
  await ensureReady();
  return resolveSession(jar.get(SESSION_COOKIE)?.value);
}
