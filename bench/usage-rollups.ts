/**
 * A year of hourly usage rollups for the Usage tab's bench rows (bench/main.ts, keys `usage-*`):
 * HUB_KEYS hub keys × MODELS models (over six providers, one provider key each), PAIRS_PER_HOUR of
 * those pairs active in each hour (drawn at random, so every pair shows up most days), and the daily
 * rollups the write path keeps alongside, derived from the hourly rows. Generated in SQL, in the
 * app's database, once per bench run.
 */
import type postgres from "postgres";
import { BUCKETS } from "../lib/usage/histogram";

export const HUB_KEYS = 50;
export const MODELS = 30;
export const PAIRS_PER_HOUR = Number(process.env.BENCH_USAGE_PAIRS_PER_HOUR ?? 150);

export async function generateYearOfRollups(sql: postgres.Sql): Promise<{ hourly: number; daily: number; seconds: number }> {
  const t0 = performance.now();
  const hist = `'{${Array.from({ length: BUCKETS }, (_, i) => Math.max(0, 6 - Math.abs(i - 5))).join(",")}}'::int[]`;
  await sql.unsafe(`
    insert into usage_rollups (hour, provider_type, route, model, hub_key_id, provider_key_id, requests, errors, incomplete, unpriced_requests,
      input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms_sum, latency_ms_max, latency_hist)
    select h, p.route, p.route, p.route || '/model-' || m, ('00000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid,
      ('00000000-0000-4000-9000-' || lpad(to_hex(m % 6), 12, '0'))::uuid, 40, 2, 1, 3, 40000, 12000, 5000, 0, 0.75, 40 * 1200, 9000, ${hist}
    from generate_series(date_trunc('hour', now()) - interval '365 days', date_trunc('hour', now()), interval '1 hour') h
    cross join generate_series(1, ${PAIRS_PER_HOUR}) s
    cross join lateral (select floor(random() * ${HUB_KEYS})::int as k, floor(random() * ${MODELS})::int as m, s as slot offset 0) pick
    cross join lateral (select (array['openai','anthropic','google','groq','mistral','openrouter'])[1 + pick.m % 6] as route) p
    on conflict do nothing`);
  return { ...(await deriveDailyRollups(sql)), seconds: (performance.now() - t0) / 1000 };
}

/** The daily rollups the write path keeps alongside the hourly ones, derived here from the hourly rows; then both tables' row counts. */
export async function deriveDailyRollups(sql: postgres.Sql): Promise<{ hourly: number; daily: number }> {
  await sql.unsafe(`
    insert into usage_rollups_daily (day, provider_type, route, model, hub_key_id, provider_key_id, requests, errors, incomplete, unpriced_requests,
      input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms_sum, latency_ms_max, latency_hist)
    select date_trunc('day', hour, 'UTC'), provider_type, route, model, hub_key_id, provider_key_id, sum(requests), sum(errors), sum(incomplete),
      sum(unpriced_requests), sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(reasoning_tokens), sum(cost_usd), sum(latency_ms_sum),
      max(latency_ms_max), array[${Array.from({ length: BUCKETS }, (_, i) => `sum(latency_hist[${i + 1}])`).join(", ")}]::int[]
    from usage_rollups group by 1, 2, 3, 4, 5, 6
    on conflict do nothing`);
  await sql.unsafe("analyze usage_rollups; analyze usage_rollups_daily");
  const [h] = await sql<{ n: number }[]>`select count(*)::int n from usage_rollups`;
  const [d] = await sql<{ n: number }[]>`select count(*)::int n from usage_rollups_daily`;
  return { hourly: h!.n, daily: d!.n };
}
