import "server-only";
import { sealData, unsealData } from "iron-session";
import { getSessionPasswords } from "@/lib/config/secrets";
import { sessionCookieOptions } from "./session";

/**
 * A browser that signs in gets a long-lived cookie naming the account, sealed with the session
 * secret and sent only to the sign-in endpoint. It grants nothing by itself: it only lets that
 * browser's later sign-ins to that account wait in the priority lane of the password queue
 * (lib/auth/password.ts), so a flood of attempts from elsewhere cannot keep a returning admin out.
 * Whether an account exists never decides the lane, so a full queue tells nobody which emails
 * are accounts.
 */
export const KNOWN_DEVICE_COOKIE = "known_device";
const TTL_SECONDS = 180 * 24 * 3600;

export async function sealKnownDevice(email: string): Promise<{ cookie: string; maxAge: number }> {
  const cookie = await sealData({ e: email }, { password: getSessionPasswords(), ttl: TTL_SECONDS });
  return { cookie, maxAge: TTL_SECONDS };
}

/** Whether `cookie` is one we sealed for this (normalized) email. */
export async function isKnownDevice(cookie: string | undefined, email: string): Promise<boolean> {
  if (!cookie || cookie.length > 1024) return false;
  try {
    const data = await unsealData<{ e?: unknown }>(cookie, { password: getSessionPasswords(), ttl: TTL_SECONDS });
    return data.e === email;
  } catch {
    return false; // tampered, foreign secret, or expired seal
  }
}

/** Like the session cookie's attributes, but only ever sent to the sign-in endpoint, and never cross-site. */
export function knownDeviceCookieOptions(maxAge: number) {
  return { ...sessionCookieOptions(maxAge), sameSite: "strict" as const, path: "/api/v1/auth/login" };
}
