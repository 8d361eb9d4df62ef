#!/usr/bin/env node
// npm test — every suite, in order: unit, build, integration on Postgres + Redis, integration in
// zero-setup mode (PGlite, in-process limiter), browser tests (Playwright, Debian's Chromium).
// Ends with one line: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
mkdirSync("test-results", { recursive: true });

const suites = [
  { name: "unit", cmd: ["npx", "vitest", "run", "--project", "unit"] },
  { name: "build", build: true, cmd: ["npx", "next", "build"] },
  { name: "integration", cmd: ["npx", "vitest", "run", "--project", "integration"], env: { LLMHUB_TEST_MODE: "services" } },
  { name: "integration-zero-setup", cmd: ["npx", "vitest", "run", "--project", "integration"], env: { LLMHUB_TEST_MODE: "zero-setup" } },
  { name: "e2e", playwright: true, cmd: ["npx", "playwright", "test"] },
  { name: "security", cmd: ["npx", "vitest", "run", "--project", "security"] },
  { name: "faults", cmd: ["npx", "vitest", "run", "--project", "faults"] },
];

let passed = 0;
let failed = 0;
let skipped = 0;
const recap = []; // each suite's count line, and every failed test named, printed again at the end
for (const suite of suites) {
  const needsBuild = (o) => ["integration", "e2e", "security", "faults"].some((s) => o.startsWith(s));
  if (only.length && !only.some((o) => suite.name.startsWith(o)) && !(suite.build && only.some(needsBuild))) continue;
  console.log(`\n=== ${suite.name} ===`);
  const report = `test-results/${suite.name}.json`;
  const args = suite.build || suite.playwright ? suite.cmd : [...suite.cmd, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  rmSync(report, { force: true }); // never count a previous run's report
  const [bin, ...rest] = args;
  const run = spawnSync(bin, rest, { stdio: "inherit", env: { ...env, ...suite.env } });
  if (suite.build) {
    if (run.status !== 0) {
      console.log(`build failed (exit ${run.status}); the integration suites cannot run`);
      recap.push(`build: failed (exit ${run.status})`);
      failed++;
      break;
    }
    continue;
  }
  const counts = suite.playwright ? playwrightCounts(report) : existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : null;
  if (!counts) {
    console.log(`${suite.name}: the runner produced no report (exit ${run.status})`);
    recap.push(`${suite.name}: no report (exit ${run.status})`);
    failed++;
    continue;
  }
  passed += counts.numPassedTests;
  failed += counts.numFailedTests;
  skipped += counts.numPendingTests + (counts.numTodoTests ?? 0);
  // a suite that crashed outside any test (setup failure) counts as one failure
  const crashed = run.status !== 0 && counts.numFailedTests === 0;
  if (crashed) failed++;
  const line = `${suite.name}: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${counts.numPendingTests} skipped`;
  console.log(line);
  recap.push(line + (crashed ? ` (exit ${run.status} outside any test)` : ""));
  for (const f of suite.playwright ? playwrightFailures(report) : vitestFailures(counts)) recap.push(`  FAILED ${f}`);
}
// The log's tail is often all a reader gets (CI keeps the last lines): name what failed there.
console.log(`\n${recap.join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/** Playwright's JSON report (written by playwright.config.ts) in vitest's terms. */
function playwrightCounts(file) {
  if (!existsSync(file)) return null;
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  return { numPassedTests: stats.expected + stats.flaky, numFailedTests: stats.unexpected, numPendingTests: stats.skipped };
}

/** The first line of a failure message, without colour codes, kept short. */
function firstLine(message) {
  const text = String(message ?? "").replace(/\u001b\[[0-9;]*m/g, "").trim();
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

/** Every failed test of a vitest JSON report: "file > test name: first line of the error". */
function vitestFailures(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const name = String(file.name ?? "").replace(`${process.cwd()}/`, "");
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests) out.push(`${name} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    if (!failedTests.length && file.status === "failed") out.push(`${name}: ${firstLine(file.message)}`);
  }
  return out;
}

/** Every failed test of Playwright's JSON report, named the same way. */
function playwrightFailures(file) {
  if (!existsSync(file)) return [];
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      if (spec.ok) continue;
      const error = spec.tests?.flatMap((t) => t.results ?? []).find((r) => r.error)?.error;
      out.push(`${spec.file ?? suite.file} > ${[...titles, spec.title].join(" > ")}: ${firstLine(error?.message)}`);
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of JSON.parse(readFileSync(file, "utf8")).suites ?? []) walk(suite, []);
  return out;
}
