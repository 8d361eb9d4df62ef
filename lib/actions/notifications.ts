"use server";
import { z } from "zod";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/service";
import { adminAction } from "./safe-action";

const idSchema = z.string({ error: "id: must be a notification id" }).max(20, { error: "id: must be a notification id" });

/** `POST /api/v1/notifications/{id}/read` for the UI. */
export async function markNotificationReadAction(id: unknown) {
  return adminAction("notification.read", idSchema, id, (call, nid) => markNotificationRead(call.actor, nid));
}

/** `POST /api/v1/notifications/read-all` for the UI. */
export async function markAllNotificationsReadAction() {
  return adminAction("notification.read", z.undefined(), undefined, (call) => markAllNotificationsRead(call.actor));
}
