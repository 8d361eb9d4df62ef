/**
 * A process that queues usage records the way a gateway instance does and is then stopped with
 * SIGTERM: the shutdown the app installs (lib/shutdown.ts) must write them before it exits. Run with
 * `tsx --conditions=react-server`; reads HUB_KEY_ID and COUNT, prints "queued <n>" once they are queued.
 */
import { installShutdown } from "@/lib/shutdown";
import { recordUsage, usageRecorder } from "@/lib/usage/recorder";
import { makeUsageInputs } from "./usage-records";

const hubKeyId = process.env.HUB_KEY_ID ?? "";
const count = Number(process.env.COUNT ?? 100);
installShutdown();
for (const input of makeUsageInputs(count, { seed: 99, hubKeyIds: [hubKeyId] })) recordUsage(input);
process.stdout.write(`queued ${usageRecorder().pending}\n`);
setInterval(() => {}, 1000); // stay up until the signal, like a server
