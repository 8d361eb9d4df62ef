import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../lib/webhooks/payload";
import { expect, shot, signInByApi, test } from "./fixtures";

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
    await signInByApi(page, users.webhooks);
    await page.goto("/llm-hub/webhooks");
    await expect(page.locator("section.webhooks[data-hydrated]")).toBeVisible();
    await expect(page.getByRole("link", { name: "Webhooks" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText(/No webhooks yet/)).toBeVisible();

    await page.getByRole("button", { name: "Add webhook" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Ops channel");
    await dialog.getByLabel("URL").fill("http://169.254.169.254/latest");
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    await expect(dialog.getByRole("alert")).toContainText(/^url: /);
    await dialog.getByLabel("URL").fill(url);
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    await expect(dialog.getByRole("heading", { name: "Signing secret" })).toBeVisible();
    secret = (await dialog.getByLabel("Signing secret").textContent())?.trim() ?? null;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await shot(page, "12-webhook-secret-once", { fullPage: false });
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();

    const card = page.getByRole("article", { name: "Ops channel" });
    await expect(card).toContainText(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/…7f3a`);
    await expect(card).not.toContainText(secret!);
    await card.getByRole("button", { name: "Send test notification" }).click();
    await expect(card.getByRole("status")).toContainText(/Delivered: the receiver answered HTTP 200 in \d+ ms\./);
    expect(received.at(-1)?.ok).toBe(true);

    failing = true;
    await card.getByRole("button", { name: "Send test notification" }).click();
    await expect(card.getByRole("status")).toContainText("Not delivered: receiver answered HTTP 503. It will be retried with backoff; see Deliveries.");
    await card.getByRole("button", { name: "Deliveries" }).click();
    await expect(card.getByRole("table")).toContainText("✗ 503");
    await expect(card.getByRole("table")).toContainText("✓ 200");
    await shot(page, "13-webhooks");

    await card.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
    await expect(page.getByText(/No webhooks yet/)).toBeVisible();
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
