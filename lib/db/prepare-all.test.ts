// drizzle over postgres.js through prepareAll, on a real PostgreSQL database of its own (one
// connection, so that pg_prepared_statements, which is per connection, shows what it kept): a
// statement with parameters is prepared once and reused, in and out of a transaction; a multi-row
// insert past PREPARE_MAX_PARAMS is not kept; a statement without parameters is not prepared; a
// hand-written statement given to preparedSql is built once.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, pgUrl } from "@/test/support/app-services";
import type { Db } from "./client";
import { PREPARE_MAX_PARAMS, prepareAll } from "./prepare-all";
import { preparedSql } from "./prepared";

const DB = `llmhub_prepare_${randomBytes(4).toString("hex")}`;
const things = pgTable("things", { id: integer("id").primaryKey(), name: text("name").notNull() });
let client: postgres.Sql;
let db: ReturnType<typeof drizzle>;

beforeAll(async () => {
  await createDatabase(DB);
  client = postgres(pgUrl(DB), { max: 1, onnotice: () => {} });
  await client.unsafe("create table things (id integer primary key, name text not null)");
  db = drizzle(prepareAll(client));
}, 60_000);

afterAll(async () => {
  await client?.end({ timeout: 5 });
  await dropDatabase(DB);
});

/** The statements this connection keeps prepared, by text (the raw client: not itself prepared). */
const kept = async () => (await client.unsafe<{ statement: string }[]>("select statement from pg_prepared_statements")).map((r) => r.statement);

describe("prepareAll", () => {
  it("prepares a statement with parameters once and reuses it, in and out of transactions", async () => {
    for (let i = 1; i <= 3; i++) await db.insert(things).values({ id: i, name: `n${i}` });
    for (let i = 1; i <= 3; i++) expect(await db.select().from(things).where(sql`${things.id} = ${i}`)).toEqual([{ id: i, name: `n${i}` }]);
    await db.transaction(async (tx) => {
      await tx.update(things).set({ name: "changed" }).where(sql`${things.id} = ${1}`);
      await tx.transaction(async (inner) => inner.update(things).set({ name: "inner" }).where(sql`${things.id} = ${2}`));
    });
    const statements = await kept();
    expect(statements.filter((s) => s.startsWith("insert into \"things\""))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith("select \"id\", \"name\" from \"things\""))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith("update \"things\""))).toHaveLength(1); // the same text in the transaction and its savepoint
    expect((await db.select().from(things)).map((r) => r.name).sort()).toEqual(["changed", "inner", "n3"]);
  });

  it("leaves multi-row inserts past the parameter limit and statements without parameters unprepared", async () => {
    const before = (await kept()).length;
    const rows = Array.from({ length: PREPARE_MAX_PARAMS }, (_, i) => ({ id: 1000 + i, name: "bulk" })); // 2 parameters a row
    await db.insert(things).values(rows);
    await db.execute(sql.raw("select count(*) from things"));
    expect((await kept()).length).toBe(before);
    expect(await db.$count(things, sql`${things.name} = ${"bulk"}`)).toBe(PREPARE_MAX_PARAMS);
  });
});

describe("preparedSql", () => {
  it("builds a hand-written statement's text once, and runs it with each call's values (null as SQL NULL)", async () => {
    const p = sql.placeholder;
    let builds = 0;
    const build = () => {
      builds++;
      return sql`select ${p("id")}::int + 1 as next, ${p("name")}::text as name, ${p("name")}::text is null as missing`;
    };
    const run = async (values: Record<string, unknown>) => (await preparedSql(db as unknown as Db, "prepared_sql_test", build).execute(values)) as unknown as Record<string, unknown>[];
    expect([...(await run({ id: 1, name: "a" }))]).toEqual([{ next: 2, name: "a", missing: false }]);
    expect([...(await run({ id: 41, name: null }))]).toEqual([{ next: 42, name: null, missing: true }]);
    expect(builds).toBe(1);
    expect((await kept()).filter((s) => s.startsWith("select $1::int + 1 as next"))).toHaveLength(1);
  });
});
