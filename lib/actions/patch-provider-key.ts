"use server";
import { patchProviderKey } from "@/lib/provider-keys/patch";
import { patchKeySchema, providerIdSchema } from "@/lib/provider-keys/schemas";
import { adminAction } from "./safe-action";

/** Rename, enable/disable, reprioritise or move a row without touching its key (`PATCH .../keys/{id}`). */
export async function patchProviderKeyAction(id: unknown, changes: unknown) {
  return adminAction("provider_key.patch", patchKeySchema, changes, (call, data) =>
    patchProviderKey(call, providerIdSchema.safeParse(id).data ?? "", data),
  );
}
