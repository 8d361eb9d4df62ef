import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/call-context";
import { log } from "@/lib/log";
import { destroySession, resolveSession } from "./session";

/** Ends the session named by the cookie, if any; signing out twice is not an error. */
export async function logout(cookie: string | undefined, ctx: RequestContext): Promise<void> {
  const user = await resolveSession(cookie);
  await destroySession(cookie);
  if (user) {
    await recordAudit({ action: "auth.logout", outcome: "success", actor: user, statusCode: 200 }, ctx);
    log.info(`User ${user.email} signed out`);
  }
}
