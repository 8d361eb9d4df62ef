import "server-only";
import { getEnv, isProduction } from "@/lib/env";
import { countAdmins, getUserByEmail, insertUserIfMissing } from "@/lib/db/queries/users";
import { log } from "@/lib/log";
import { generatePassword, hashPassword } from "./password";

const DEV_ADMIN = "admin@localhost";

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD create the first admin when that account does not exist yet. In
 * development with no admin at all, a local admin is created and its password printed once, so
 * that the zero-setup start can be signed in to; production never does that.
 */
export async function bootstrapAdmin(): Promise<void> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = getEnv();
  if (ADMIN_EMAIL && ADMIN_PASSWORD) {
    if (await getUserByEmail(ADMIN_EMAIL)) return;
    const created = await insertUserIfMissing({ email: ADMIN_EMAIL, passwordHash: await hashPassword(ADMIN_PASSWORD), role: "admin" });
    if (created) log.info(`Created admin user ${created.email} from ADMIN_EMAIL`);
    return;
  }
  if ((await countAdmins()) > 0) return;
  if (isProduction()) {
    log.warn("No admin user exists. Set ADMIN_EMAIL and ADMIN_PASSWORD, or run: npm run users -- add --email you@example.com --role admin");
    return;
  }
  const password = generatePassword();
  const created = await insertUserIfMissing({ email: DEV_ADMIN, passwordHash: await hashPassword(password), role: "admin" });
  if (created) {
    log.warn(
      `!!! Development mode with no admin: created ${DEV_ADMIN} with password ${password} (shown once). ` +
        "Set ADMIN_EMAIL/ADMIN_PASSWORD or use `npm run users` for real accounts.",
    );
  }
}
