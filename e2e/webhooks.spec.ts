import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../lib/webhooks/payload";
import { expect, shot, signInByApi, test } from "./fixtures";
import { WebhooksPage } from "./pages/webhooks-page";

test("add a webhook, copy its secret once, send a signed test, and see a failing receiver explained", async ({ page, users }) => {
  const received: { body: string; ok: boolean | null }[] = [];
  let secret: string | null = null;
  let failing = false;
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ body, ok: secret ? verifySignature(secret, req.headers["x-llmhub-timestamp"] as string, body, req.headers["x-llmhub-signature"] as string) : null });
      res.writeHead(failing ? 503 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/ops-channel-7f3a`;
  try {
    const hooks = new WebhooksPage(page);
    await signInByApi(page, users.webhooks);
    await hooks.goto();
    await expect(hooks.tab).toHaveAttribute("aria-current", "page");
    await expect(hooks.emptyState).toBeVisible();

    await hooks.openAddDialog();
    await hooks.submitAdd("Ops channel", "http://169.254.169.254/latest");
    await expect(hooks.dialog.getByRole("alert")).toContainText(/^url: /);
    await hooks.submitAdd("Ops channel", url);
    secret = await hooks.signingSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await shot(page, "12-webhook-secret-once", { fullPage: false });
    await hooks.done();

    const card = hooks.card("Ops channel");
    await expect(card).toContainText(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/…7f3a`);
    await expect(card).not.toContainText(secret!);
    await hooks.sendTest("Ops channel");
    await expect(hooks.status("Ops channel")).toContainText(/Delivered: the receiver answered HTTP 200 in \d+ ms\./);
    expect(received.at(-1)?.ok).toBe(true);

    failing = true;
    await hooks.sendTest("Ops channel");
    await expect(hooks.status("Ops channel")).toContainText("Not delivered: receiver answered HTTP 503. It will be retried with backoff; see Deliveries.");
    await hooks.showDeliveries("Ops channel");
    await expect(hooks.deliveries("Ops channel")).toContainText("✗ 503");
    await expect(hooks.deliveries("Ops channel")).toContainText("✓ 200");
    await shot(page, "13-webhooks");

    await hooks.remove("Ops channel");
    await expect(hooks.emptyState).toBeVisible();
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
