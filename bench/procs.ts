/** Child processes for the benchmark: started with the shared launcher; find the listener, read its memory and CPU. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { LoggedProcess } from "../test/support/app-process";
import { dropDatabase as dropDb } from "../test/support/app-services";

// Processes start through the test suites' launcher (an app's output goes straight to its log file).
export { freePort, spawnApp, spawnLogged, waitForHttp, waitReady } from "../test/support/app-process";
export type Child = LoggedProcess;

/** The machine a report was measured on. */
export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: os.cpus().length,
    ramGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}

/**
 * The commit measured, marked when the tree has uncommitted changes. The benchmarks' own reports do
 * not count: one left by an earlier run changes nothing that is measured.
 */
export function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const status = ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md", ":!bench/sweep-results.md", ":!bench/gateway-results.md", ":!bench/usage-results.md", ":!bench/usage-tab-results.md"];
    const dirty = execFileSync("git", status, { encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}

export function stopChild(child: Child | undefined, graceMs = 10_000): Promise<void> {
  return child ? child.stop(graceMs) : Promise.resolve();
}

/** The pid, among `rootPid` and its descendants, that holds the listening socket on `port`. */
export function listenerPid(rootPid: number, port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1]!.endsWith(`:${hexPort}`) && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of [rootPid, ...descendants(rootPid)]) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      }
    } catch {
      // the process went away
    }
  }
  return null;
}

function safeReadlink(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return "";
  }
}

function descendants(rootPid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(name), ppid);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const frontier = [rootPid];
  while (frontier.length) {
    const p = frontier.shift()!;
    for (const [pid, pp] of parent) {
      if (pp === p) {
        out.push(pid);
        frontier.push(pid);
      }
    }
  }
  return out;
}

/** VmRSS and VmHWM (peak RSS) of a process, in MiB. */
export function memoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (ms) a process has used so far. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return NaN;
  }
}

/**
 * CPU time (ms) used so far by `rootPid` and its descendants, the children they have already reaped
 * included: a server's whole cost, whether it serves in one process or hands requests to workers.
 */
export function treeCpuMs(rootPid: number): number {
  let ms = 0;
  for (const pid of [rootPid, ...descendants(rootPid)]) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ms += ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100; // utime, stime, cutime, cstime
    } catch {
      // gone: a reaped child's time is in its parent's cutime/cstime
    }
  }
  return ms;
}

/**
 * Waits until `pid` is idle (under 10 ms of CPU per 250 ms), e.g. still finishing requests a load run
 * abandoned. `cpuOf`: treeCpuMs for a server of several processes.
 */
export async function settle(pid: number, maxMs = 15_000, cpuOf: (pid: number) => number = cpuMsOf): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = cpuOf(pid);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuOf(pid);
    if (!(now - last >= 10)) return;
    last = now;
  }
}

/** The machine's CPU time so far, all cores (/proc/stat, in USER_HZ ticks of 10 ms): idle and in all. */
export function machineTicks(): { idle: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is counted in user already)
  const all = f.slice(0, 8);
  return { idle: f[3]! + (f[4] ?? 0), total: all.reduce((a, b) => a + b, 0) };
}

/** Between two machineTicks(): busy CPU time in ms (every process and the kernel), and the busy share 0..1. */
export function machineBusyBetween(a: { idle: number; total: number }, b: { idle: number; total: number }): { busyMs: number; share: number } {
  const total = Math.max(1, b.total - a.total);
  const busy = total - (b.idle - a.idle);
  return { busyMs: busy * 10, share: busy / total };
}

/** Share of the machine's CPU time that was busy over `ms` (all processes), 0..1. */
export async function machineBusy(ms = 2000): Promise<number> {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  return machineBusyBetween(a, machineTicks()).share;
}

export type CpuSnapshot = Map<number, { comm: string; ppid: number; ms: number }>;

/** CPU time used so far by every process on the machine. */
export function cpuSnapshot(): CpuSnapshot {
  const snap: CpuSnapshot = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      snap.set(Number(name), { comm, ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 });
    } catch {
      // gone
    }
  }
  return snap;
}

/**
 * CPU (in cores, averaged over `seconds`) used between two snapshots by processes that are not
 * part of the benchmark: not `ours` or their descendants, not PostgreSQL or Redis. A lower bound
 * (processes that came and went in between are missed), enough to flag a run disturbed by others.
 */
export function foreignCores(a: CpuSnapshot, b: CpuSnapshot, ours: number[], seconds: number): number {
  const mine = new Set<number>(ours);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of b) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  let ms = 0;
  for (const [pid, p] of b) {
    if (mine.has(pid) || /^(postgres|redis-server)/.test(p.comm)) continue;
    const before = a.get(pid);
    // the same pid in both snapshots: its delta (kernel workers rename themselves as they work, so the
    // name is no identity); a pid new since `a`, or reused (less CPU than before): all of it
    ms += before && p.ms >= before.ms ? p.ms - before.ms : p.ms;
  }
  return ms / 1000 / seconds;
}

/** Resets a process's VmHWM to its current RSS (Linux ≥ 4.0), so that a later read is the peak since now. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Drops a benchmark's scratch database (its connections closed first); says so when it cannot. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await dropDb(name, adminUrl).catch((err: Error) => console.error(`could not drop ${name}: ${err.message}`));
}

/**
 * Runs a benchmark's main and always its cleanup (servers stopped, scratch database dropped): after
 * success (exit 0), failure (exit 1) or Ctrl-C / SIGTERM (exit 130).
 */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<void>): void {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping the servers and dropping the database ...`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  main()
    .then(() => cleanup())
    .then(() => process.exit(0))
    .catch(async (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      await cleanup();
      process.exit(1);
    });
}
