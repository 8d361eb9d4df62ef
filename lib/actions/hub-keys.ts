"use server";
import { z } from "zod";
import { createHubKeySchema, hubKeyIdSchema, patchHubKeySchema } from "@/lib/hub-keys/schemas";
import { createHubKey, deleteHubKey, patchHubKey, rotateHubKey } from "@/lib/hub-keys/service";
import { adminAction } from "./safe-action";

/** The same service as `/api/v1/llm/hub-keys`, for the Hub Keys tab. Create and rotate answer with the key, once. */
export async function createHubKeyAction(input: unknown) {
  return adminAction("hub_key.create", createHubKeySchema, input, (call, data) => createHubKey(call, data));
}

export async function patchHubKeyAction(id: unknown, input: unknown) {
  return adminAction("hub_key.update", z.object({ id: hubKeyIdSchema, changes: patchHubKeySchema }), { id, changes: input }, (call, d) => patchHubKey(call, d.id, d.changes));
}

export async function deleteHubKeyAction(id: unknown) {
  return adminAction("hub_key.delete", hubKeyIdSchema, id, (call, hid) => deleteHubKey(call, hid));
}

export async function rotateHubKeyAction(id: unknown) {
  return adminAction("hub_key.rotate", hubKeyIdSchema, id, (call, hid) => rotateHubKey(call, hid));
}
