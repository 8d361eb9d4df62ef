"use server";
import { z } from "zod";
import { markAllNotificationsRead, markNotificationRead, notificationIdSchema } from "@/lib/notifications/service";
import { adminAction } from "./safe-action";

/** `POST /api/v1/notifications/{id}/read` for the UI. */
export async function markNotificationReadAction(id: unknown) {
  return adminAction("notification.read", notificationIdSchema, id, (call, nid) => markNotificationRead(call.actor, nid));
}

/** `POST /api/v1/notifications/read-all` for the UI. */
export async function markAllNotificationsReadAction() {
  return adminAction("notification.read", z.undefined(), undefined, (call) => markAllNotificationsRead(call.actor));
}
