/**
 * What a server process holds, read from /proc (Linux): the PID that listens on a port, its open
 * file descriptors, its TCP sockets by remote port, and its resident memory.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

interface TcpEntry {
  localPort: number;
  remotePort: number;
  /** Kernel state in hex: 01 ESTABLISHED, 06 TIME_WAIT, 08 CLOSE_WAIT, 0A LISTEN, ... */
  state: string;
  inode: string;
}

/** Every TCP socket of the network namespace (IPv4 and IPv6) as the kernel lists it. */
function tcpTable(pid: number | "self" = "self"): TcpEntry[] {
  const out: TcpEntry[] = [];
  for (const file of ["tcp", "tcp6"]) {
    let text = "";
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !f[1] || !f[2] || !f[3] || !f[9]) continue;
      const port = (addr: string) => parseInt(addr.split(":").pop() ?? "0", 16);
      out.push({ localPort: port(f[1]), remotePort: port(f[2]), state: f[3], inode: f[9] });
    }
  }
  return out;
}

/** The socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fdList(pid)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

function fdList(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`);
}

/** The PID that holds the listening socket of `port` (the `next start` server may be a child process). */
export function pidListeningOn(port: number): number | null {
  const listening = new Set(tcpTable().filter((e) => e.state === "0A" && e.localPort === port).map((e) => e.inode));
  if (!listening.size) return null;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      for (const inode of socketInodes(pid)) if (listening.has(inode)) return pid;
    } catch {
      // not ours to read, or gone
    }
  }
  return null;
}

export interface ProcSnapshot {
  fds: number;
  /** The process's TCP sockets whose remote end is each given port, in any state. */
  socketsTo: Record<number, number>;
  rssKb: number;
}

/** One reading of a process: open fds, its sockets to each of `ports`, and VmRSS. */
export function snapshot(pid: number, ports: number[]): ProcSnapshot {
  const inodes = socketInodes(pid);
  const mine = tcpTable(pid).filter((e) => inodes.has(e.inode));
  const socketsTo: Record<number, number> = {};
  for (const p of ports) socketsTo[p] = mine.filter((e) => e.remotePort === p).length;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return { fds: fdList(pid).length, socketsTo, rssKb };
}
