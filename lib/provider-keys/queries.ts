import "server-only";
import { getProviderKeyById } from "@/lib/db/queries/provider-keys";
import type { ProviderKey } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** The row with this id; an unknown or malformed id is `not_found` ("Provider not found"). */
export async function findRowOr404(id: string): Promise<ProviderKey> {
  const row = isUuid(id) ? await getProviderKeyById(id) : undefined;
  if (!row) throw notFound();
  return row;
}
