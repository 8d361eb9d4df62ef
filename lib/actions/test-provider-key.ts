"use server";
import { testKeySchema } from "@/lib/provider-keys/schemas";
import { toTestedKeyView } from "@/lib/provider-keys/serialize";
import { testProviderKeyFor } from "@/lib/provider-keys/test";
import { adminAction } from "./safe-action";

/** Test a stored, environment or supplied key (the UI's `POST /api/v1/llm/providers/keys/test`). */
export async function testProviderKeyAction(input: unknown) {
  return adminAction("provider_key.test", testKeySchema, input, async (call, data) => toTestedKeyView(await testProviderKeyFor(call, data)));
}
