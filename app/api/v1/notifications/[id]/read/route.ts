// POST /api/v1/notifications/{id}/read — mark one notification read for the signed-in admin
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { markNotificationRead } from "@/lib/notifications/service";

export const POST = apiRoute<{ id: string }, "admin">({ access: "admin", action: "notification.read" }, async ({ user, params }) => ({
  body: await markNotificationRead(user, params.id),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
