// The sign-in page as the server sends it, before any script runs: a click or Enter at that moment
// must not make the browser submit the form itself, least of all as a GET that puts the password in
// the URL (and so in history, proxy and access logs).
import { describe, expect, inject, it } from "vitest";

describe("the sign-in form before hydration", () => {
  it("posts (never a GET with the password in the URL) and cannot be submitted until the page is live", async () => {
    const res = await fetch(`${inject("baseUrl")}/login`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const form = /<form\b[^>]*>/.exec(html)?.[0];
    expect(form, "the page has a form").toBeTruthy();
    expect(form).toMatch(/\bmethod="post"/i);
    const submit = /<button\b[^>]*type="submit"[^>]*>/.exec(html)?.[0];
    expect(submit, "the form has a submit button").toBeTruthy();
    // a disabled default button also blocks implicit submission (Enter in a field)
    expect(submit).toMatch(/\bdisabled=""/);
  });
});
