// POST /api/v1/notifications/read-all — mark every notification read for the signed-in admin
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { markAllNotificationsRead } from "@/lib/notifications/service";

export const POST = apiRoute({ access: "admin", action: "notification.read" }, async ({ user }) => ({ body: await markAllNotificationsRead(user) }));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
