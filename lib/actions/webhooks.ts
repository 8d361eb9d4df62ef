"use server";
import { z } from "zod";
import { createWebhook, createWebhookSchema, patchWebhook, patchWebhookSchema, removeWebhook, rotateWebhookSecret, sendTestNotification } from "@/lib/webhooks/service";
import { adminAction } from "./safe-action";

const idSchema = z.string({ error: "id: must be a webhook id" }).max(64, { error: "id: must be a webhook id" });

/** The same services as `/api/v1/webhooks`, for the Webhooks tab. */
export async function createWebhookAction(input: unknown) {
  return adminAction("webhook.create", createWebhookSchema, input, async (call, data) => (await createWebhook(call, data)).body);
}

export async function patchWebhookAction(id: unknown, input: unknown) {
  return adminAction("webhook.update", z.object({ id: idSchema, changes: patchWebhookSchema }), { id, changes: input }, async (call, d) => (await patchWebhook(call, d.id, d.changes)).body);
}

export async function deleteWebhookAction(id: unknown) {
  return adminAction("webhook.delete", idSchema, id, async (call, wid) => (await removeWebhook(call, wid)).body);
}

export async function testWebhookAction(id: unknown) {
  return adminAction("webhook.test", idSchema, id, async (call, wid) => (await sendTestNotification(call, wid)).body);
}

export async function rotateWebhookSecretAction(id: unknown) {
  return adminAction("webhook.rotate_secret", idSchema, id, async (call, wid) => (await rotateWebhookSecret(call, wid)).body);
}
