// Types for cork.mjs (plain JavaScript: the server runs it with Node, before any build step).
import type { Socket } from "node:net";
export function corkForThisTick(socket: Socket | null | undefined): void;
export function uncorkNow(socket: Socket | null | undefined): void;
