import "server-only";
import { getKeyring } from "@/lib/config/secrets";
import { claimDueDeliveries, type ClaimedDelivery, finishAttempt, msUntilNextDelivery } from "@/lib/db/queries/webhooks";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { ProbeError, probe } from "@/lib/net/http-probe";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";
import { retryDelayMs, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from "./payload";

const IDLE_POLL_MS = 5000;
const BATCH = 10;

export interface AttemptOutcome {
  success: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

/**
 * Sends one signed POST: the URL is checked by the same SSRF policy as custom base URLs at every
 * attempt (DNS may have changed), the connection goes to the checked address, no redirects, a short
 * capped read of the answer. Any 2xx is delivered. The error text is ours, never the receiver's.
 */
export async function sendOnce(d: Pick<ClaimedDelivery, "id" | "event" | "body" | "encryptedUrl" | "encryptedSecret" | "encryptionKeyId">): Promise<AttemptOutcome> {
  const env = getEnv();
  const started = performance.now();
  const done = (o: Omit<AttemptOutcome, "latencyMs">): AttemptOutcome => ({ ...o, latencyMs: Math.round(performance.now() - started) });
  let secret: string;
  let url: string;
  try {
    secret = getKeyring().decrypt(d.encryptedSecret, d.encryptionKeyId);
    url = getKeyring().decrypt(d.encryptedUrl, d.encryptionKeyId);
  } catch {
    return done({ success: false, statusCode: null, error: "URL or signing secret cannot be decrypted with the configured encryption keys" });
  }
  try {
    const target = await resolveAllowedUrl(url, env.PROVIDER_URL_POLICY);
    const ts = Math.floor(Date.now() / 1000);
    const res = await probe({
      url: target.url,
      method: "POST",
      address: { address: target.address, family: target.family },
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxBytes: 16 * 1024,
      body: d.body,
      headers: {
        "content-type": "application/json",
        "user-agent": "LLM-Hub-Webhooks/1",
        "x-llmhub-event": d.event,
        "x-llmhub-delivery": d.id,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: sign(secret, ts, d.body),
      },
    });
    if (res.status >= 200 && res.status < 300) return done({ success: true, statusCode: res.status, error: null });
    const redirect = res.status >= 300 && res.status < 400 ? " (redirects are not followed)" : "";
    return done({ success: false, statusCode: res.status, error: `receiver answered HTTP ${res.status}${redirect}` });
  } catch (err) {
    if (err instanceof UrlPolicyError) return done({ success: false, statusCode: null, error: `URL refused: ${err.reason}` });
    if (err instanceof ProbeError) return done({ success: false, statusCode: null, error: err.kind === "timeout" ? `timed out after ${env.WEBHOOK_TIMEOUT_MS} ms` : err.message });
    log.warn("Webhook attempt failed unexpectedly", errorFields(err));
    return done({ success: false, statusCode: null, error: "unexpected error while sending" });
  }
}

/**
 * Sends queued webhook deliveries: wakes when an alert is raised in this process (kick), when the
 * next retry is due, and every few seconds for deliveries queued by other instances. Every instance
 * may run one; claims are exclusive (SKIP LOCKED), so nothing goes out twice at once.
 */
class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  start(): void {
    this.stopped = false;
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((err) => log.warn("Webhook delivery pass failed; retrying shortly", errorFields(err)))
      .then(() => this.schedule())
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Finishes the attempts in flight (each bounded by WEBHOOK_TIMEOUT_MS) and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    const env = getEnv();
    const holdMs = env.WEBHOOK_TIMEOUT_MS + 30_000;
    for (let batch = await claimDueDeliveries(BATCH, holdMs); batch.length && !this.stopped; batch = await claimDueDeliveries(BATCH, holdMs)) {
      await Promise.all(
        batch.map(async (d) => {
          const outcome = await sendOnce(d);
          const retryIn = outcome.success ? null : retryDelayMs(d.attempt, env.WEBHOOK_RETRY_BASE_SECONDS, env.WEBHOOK_MAX_ATTEMPTS);
          await finishAttempt(d, outcome, retryIn);
          if (outcome.success) log.info(`Webhook delivered: ${d.event} (attempt ${d.attempt})`, { delivery: d.id, webhook: d.webhookId });
          else log.warn(`Webhook attempt ${d.attempt} failed: ${outcome.error}${retryIn === null ? "; giving up" : `; retrying in ${retryIn} ms`}`, { delivery: d.id, webhook: d.webhookId });
        }),
      );
    }
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await msUntilNextDelivery().catch(() => null);
    const wait = Math.max(20, Math.min(IDLE_POLL_MS, next ?? IDLE_POLL_MS));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}

const g = globalThis as unknown as { __llmhubWebhooks?: WebhookDispatcher };

export function startWebhookDelivery(): void {
  if (g.__llmhubWebhooks) return;
  g.__llmhubWebhooks = new WebhookDispatcher();
  g.__llmhubWebhooks.start();
}

/** Sends new deliveries now instead of at the next poll (no-op where the dispatcher is not running). */
export function kickWebhookDelivery(): void {
  g.__llmhubWebhooks?.kick();
}

export async function stopWebhookDelivery(): Promise<void> {
  const d = g.__llmhubWebhooks;
  g.__llmhubWebhooks = undefined;
  if (d) await d.stop();
}
