// GET /api/v1/notifications?limit=&before=&unread_only= — the signed-in admin's alerts, newest first, with the unread count
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { parseWith } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { getNotifications, notificationsQuerySchema } from "@/lib/notifications/service";

export const GET = apiRoute({ access: "admin", action: "notification.list" }, async ({ req, user }) => {
  const q = Object.fromEntries(["limit", "before", "unread_only"].map((k) => [k, req.nextUrl.searchParams.get(k) ?? undefined]));
  return { body: await getNotifications(user, parseWith(notificationsQuerySchema, q)) };
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
