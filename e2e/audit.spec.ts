import { readFileSync } from "node:fs";
import { expect, shot, signInByApi, test } from "./fixtures";
import { AuditPage } from "./pages/audit-page";

type Rec = { id: number; action: string; outcome: string; actor_email: string | null; ip: string | null; detail: Record<string, unknown> | null };

/** The API's records for a query string, every page. */
async function apiRecords(page: import("@playwright/test").Page, search: string): Promise<Rec[]> {
  const out: Rec[] = [];
  let before: number | null = null;
  do {
    const res = await page.request.get(`/api/v1/audit?${search}&limit=500${before ? `&before=${before}` : ""}`);
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { events: Rec[]; next_before: number | null };
    out.push(...body.events);
    before = body.next_before;
  } while (before);
  return out;
}

test("filter and page the audit log, open a record's detail, keep the filters in the URL, download the view as CSV; light, dark, 375 px", async ({ page, users }) => {
  const audit = new AuditPage(page);
  const me = users.audit.email;
  await signInByApi(page, users.audit);
  // activity of this admin: 28 hub keys made and removed (56 records, more than a page), and a change refused as cross-site
  for (let i = 0; i < 28; i++) {
    const made = await page.request.post("/api/v1/llm/hub-keys", { data: { name: `e2e-audit-${i}` } });
    expect(made.status(), await made.text()).toBe(201);
    expect((await page.request.delete(`/api/v1/llm/hub-keys/${(await made.json()).hub_key.id}`)).status()).toBe(200);
  }
  const refused = await page.request.post("/api/v1/webhooks", { data: { name: "x", url: "https://example.com/h" }, headers: { Origin: "https://evil.example" } });
  expect(refused.status()).toBe(403);

  await audit.goto();
  await expect(audit.tab).toHaveAttribute("aria-current", "page");
  await expect(audit.rows.first()).toBeVisible();

  // filter by actor and action family with the form: the URL follows
  await audit.field("Actor").fill(me);
  await audit.field("Action").fill("hub_key.");
  await audit.apply.click();
  await expect(page).toHaveURL(new RegExp(`/llm-hub/audit\\?actor=${encodeURIComponent(me).replace(/\./g, "\\.")}&action=hub_key\\.$`));
  await expect(audit.rows).toHaveCount(50);
  expect(new Set(await audit.actions())).toEqual(new Set(["hub_key.create", "hub_key.delete"]));
  expect((await audit.actions())[0]).toBe("hub_key.delete");
  expect(new Set(await audit.actors())).toEqual(new Set([me]));

  // older records on request, until there are none
  await audit.loadOlder.click();
  await expect(audit.rows).toHaveCount(56);
  await expect(audit.loadOlder).toBeHidden();
  const api = await apiRecords(page, `actor=${encodeURIComponent(`${me}*`)}&action=hub_key.`);
  expect(api.length).toBe(56);

  // the URL keeps the filters: a reload shows the same view, the form filled in
  await page.reload();
  await expect(page.locator("section.audit[data-hydrated]")).toBeVisible();
  await expect(audit.field("Actor")).toHaveValue(me);
  await expect(audit.field("Action")).toHaveValue("hub_key.");
  await expect(audit.rows).toHaveCount(50);

  // denials: the cross-site change (refused before its session is read: no actor), its detail opened from the keyboard
  await audit.field("Actor").fill("");
  await audit.field("Action").fill("webhook.create");
  await audit.field("Outcome").selectOption("denied");
  await audit.apply.click();
  await expect(page).toHaveURL(/\?action=webhook\.create&outcome=denied$/);
  const [denied] = await apiRecords(page, "action=webhook.create&outcome=denied");
  await expect(audit.rows.first()).toBeVisible();
  expect(new Set(await audit.actions())).toEqual(new Set(["webhook.create"]));
  await audit.details(denied!.id).focus();
  await page.keyboard.press("Enter");
  await expect(audit.details(denied!.id)).toHaveAttribute("aria-expanded", "true");
  const facts = audit.detail(denied!.id);
  await expect(facts).toContainText("127.0.0.1");
  await expect(facts).toContainText('"code": "csrf"');
  await shot(page, "40-audit-denied-detail");

  // the CSV of the view is the API's answer for the same filters
  const [download] = await Promise.all([page.waitForEvent("download"), audit.csvLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^llmhub-audit-\d{8}T\d{6}Z\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
  expect(csv[0]).toBe("id,at,action,outcome,status_code,actor_id,actor_email,target,provider_type,key_fingerprint,ip,user_agent,detail");
  const sameView = await apiRecords(page, new URL(download.url()).searchParams.toString());
  expect(csv.slice(1).map((l) => Number(l.split(",")[0]))).toEqual(sameView.map((r) => r.id));
  expect(new Set(csv.slice(1).map((l) => l.split(",")[2]))).toEqual(new Set(["webhook.create"]));

  // no match: the empty state; then back to the previous view
  await audit.goto(`?actor=${encodeURIComponent(me)}&action=nothing.here`);
  await expect(audit.empty).toBeVisible();
  await page.goBack();
  await expect(audit.field("Action")).toHaveValue("webhook.create");
  await expect(audit.rows).toHaveCount(sameView.length);

  // dark, and 375 px without sideways scrolling
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "41-audit-dark");
  await page.setViewportSize({ width: 375, height: 800 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await shot(page, "42-audit-375-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await shot(page, "43-audit-375-light");
});

test("a viewer is told the Audit tab is for admins", async ({ page, users }) => {
  await signInByApi(page, users.viewer);
  await page.goto("/llm-hub/audit");
  await expect(page.getByRole("heading", { name: "You do not have access to the LLM Hub" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  expect((await page.request.get("/api/v1/audit")).status()).toBe(403);
});
