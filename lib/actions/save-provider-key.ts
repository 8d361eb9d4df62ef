"use server";
import { saveProviderKey } from "@/lib/provider-keys/save";
import { saveKeySchema } from "@/lib/provider-keys/schemas";
import { toSavedKeyView } from "@/lib/provider-keys/serialize";
import { adminAction } from "./safe-action";

/** Add or replace a key (the UI's `POST /api/v1/llm/providers/keys`): tested, encrypted, stored. */
export async function saveProviderKeyAction(input: unknown) {
  return adminAction("provider_key.create", saveKeySchema, input, async (call, data) => {
    const saved = await saveProviderKey(call, data);
    return { ...toSavedKeyView(saved), created: saved.created };
  });
}
