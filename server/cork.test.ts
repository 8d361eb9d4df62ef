import net from "node:net";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { corkForThisTick, uncorkNow } from "./cork.mjs";

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));

/** A connected pair on loopback: what the client writes, and how many reads the server's side saw. */
async function pair() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  const [peer] = (await once(server, "connection")) as [net.Socket];
  await once(client, "connect");
  const reads: string[] = [];
  peer.on("data", (d: Buffer) => reads.push(d.toString()));
  const close = () => (client.destroy(), peer.destroy(), server.close());
  return { client, reads, close };
}

describe("corkForThisTick", () => {
  it("writes of one tick leave together; the socket is uncorked at the next tick, once", async () => {
    const { client, reads, close } = await pair();
    try {
      corkForThisTick(client);
      client.write("a");
      corkForThisTick(client); // the same tick: not corked twice
      client.write("b");
      expect(client.writableCorked).toBe(1);
      await tick();
      expect(client.writableCorked).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
      expect(reads.join("")).toBe("ab");
      expect(reads).toHaveLength(1); // one write, so one read on loopback
      corkForThisTick(client); // a later tick corks again
      expect(client.writableCorked).toBe(1);
      await tick();
      expect(client.writableCorked).toBe(0);
    } finally {
      close();
    }
  });

  it("uncorkNow lets the written bytes go at once and leaves the next tick nothing to undo", async () => {
    const { client, close } = await pair();
    try {
      client.cork(); // someone else's cork stays theirs
      corkForThisTick(client);
      expect(client.writableCorked).toBe(2);
      uncorkNow(client);
      expect(client.writableCorked).toBe(1);
      uncorkNow(client); // not corked here any more: nothing
      await tick();
      expect(client.writableCorked).toBe(1);
      client.uncork();
      corkForThisTick(null); // no socket (the response went away): nothing
      uncorkNow(undefined);
    } finally {
      close();
    }
  });
});
