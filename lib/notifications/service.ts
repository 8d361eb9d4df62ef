import "server-only";
import { z } from "zod";
import { alertExists, countUnread, listNotifications, markRead } from "@/lib/db/queries/notifications";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/call-context";

/** A notification id as the REST route takes it from its path; anything malformed ends in the same 404. */
export const notificationIdSchema = z.string({ error: "id: must be a notification id" }).max(20, { error: "id: must be a notification id" });

export const notificationsQuerySchema = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  before: z.coerce.number({ error: "must be a notification id" }).int("must be a notification id").positive("must be a notification id").optional(),
  unread_only: z.enum(["true", "false"], { error: "must be true or false" }).default("false"),
});
export type NotificationsQuery = z.infer<typeof notificationsQuerySchema>;

/** An admin's notifications (newest first), the unread count for the bell, and the cursor for the next page. */
export async function getNotifications(actor: Actor, q: NotificationsQuery) {
  const [rows, unread] = await Promise.all([
    listNotifications(actor.id, { limit: q.limit + 1, beforeId: q.before ?? null, unreadOnly: q.unread_only === "true" }),
    countUnread(actor.id),
  ]);
  const page = rows.slice(0, q.limit);
  return { notifications: page, unread_count: unread, next_before: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function markNotificationRead(actor: Actor, rawId: string) {
  const id = /^\d{1,18}$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isSafeInteger(id) || !(await alertExists(id))) throw notFound("Notification not found");
  await markRead(actor.id, [id]);
  return { success: true as const, unread_count: await countUnread(actor.id) };
}

export async function markAllNotificationsRead(actor: Actor) {
  const marked = await markRead(actor.id, null);
  return { success: true as const, marked, unread_count: await countUnread(actor.id) };
}
