/**
 * Runs the fake provider for manual testing:
 *   npx tsx test/fake-provider/main.ts --port 9100 [--latency 50]
 * and prints the PROVIDER_BASE_URL_<TYPE> lines to paste into .env.local.
 */
import { startFakeProvider } from "./server";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
}

async function main(): Promise<void> {
  const fake = await startFakeProvider({ port: flag("port", 9100), latencyMs: flag("latency", 0) });
  for (const [type, base] of Object.entries(fake.baseUrls)) {
    console.log(`PROVIDER_BASE_URL_${type.toUpperCase()}=${base}`);
  }
  console.error(`fake provider listening on ${fake.url} (Ctrl+C to stop; custom endpoints need PROVIDER_URL_POLICY=any)`);
  console.error("OpenAI-compatible chat/completions and embeddings (an OpenAI SDK's base URL):");
  for (const [type, base] of Object.entries(fake.compatBaseUrls)) console.error(`  ${type.padEnd(10)} ${base}`);
  console.error(`native: ${fake.baseUrls.anthropic}/messages, ${fake.baseUrls.google}/models/{model}:generateContent and :streamGenerateContent?alt=sse`);
  console.error(
    "the model name controls answers: ttfb-M, drip-NxM, words-N, idle-after-N, reset-after-N, fail-S, echo-key, cached, reasoning " +
      "(e.g. gpt-4o-mini-drip-50x20; see test/fake-provider/controls.ts); what it answered: GET /__fake/requests",
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
