"use server";
import { z } from "zod";
import { createWebhook } from "@/lib/webhooks/create";
import { removeWebhook } from "@/lib/webhooks/delete";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate";
import { createWebhookSchema, patchWebhookSchema, webhookIdSchema } from "@/lib/webhooks/schemas";
import { toCreatedWebhookView, toRemovedWebhookView, toRotatedWebhookView, toTestedWebhookView, toUpdatedWebhookView } from "@/lib/webhooks/serialize";
import { sendTestNotification } from "@/lib/webhooks/test";
import { patchWebhook } from "@/lib/webhooks/update";
import { adminAction } from "./safe-action";

/** The same services as `/api/v1/webhooks`, for the Webhooks tab. */
export async function createWebhookAction(input: unknown) {
  return adminAction("webhook.create", createWebhookSchema, input, async (call, data) => toCreatedWebhookView(await createWebhook(call, data)));
}

export async function patchWebhookAction(id: unknown, input: unknown) {
  return adminAction("webhook.update", z.object({ id: webhookIdSchema, changes: patchWebhookSchema }), { id, changes: input }, async (call, d) =>
    toUpdatedWebhookView(await patchWebhook(call, d.id, d.changes)),
  );
}

export async function deleteWebhookAction(id: unknown) {
  return adminAction("webhook.delete", webhookIdSchema, id, async (call, wid) => toRemovedWebhookView(await removeWebhook(call, wid)));
}

export async function testWebhookAction(id: unknown) {
  return adminAction("webhook.test", webhookIdSchema, id, async (call, wid) => toTestedWebhookView(await sendTestNotification(call, wid)));
}

export async function rotateWebhookSecretAction(id: unknown) {
  return adminAction("webhook.rotate_secret", webhookIdSchema, id, async (call, wid) => toRotatedWebhookView(await rotateWebhookSecret(call, wid)));
}
