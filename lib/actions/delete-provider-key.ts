"use server";
import { deleteProviderKey } from "@/lib/provider-keys/remove";
import { providerIdSchema } from "@/lib/provider-keys/schemas";
import { adminAction } from "./safe-action";

/** Remove a stored key (`DELETE .../keys/{id}`): a built-in row falls back to its environment key. */
export async function deleteProviderKeyAction(id: unknown) {
  return adminAction("provider_key.delete", providerIdSchema, id, (call, rowId) => deleteProviderKey(call, rowId));
}
