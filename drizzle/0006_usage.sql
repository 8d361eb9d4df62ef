CREATE TABLE "model_prices" (
	"route" text NOT NULL,
	"model" text NOT NULL,
	"kind" text NOT NULL,
	"input_per_mtok_usd" numeric NOT NULL,
	"output_per_mtok_usd" numeric NOT NULL,
	"cached_input_per_mtok_usd" numeric,
	"source" text,
	"source_date" date,
	"origin" text NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "model_prices_route_model_pk" PRIMARY KEY("route","model")
);
--> statement-breakpoint
CREATE TABLE "usage_budget_alerts" (
	"hub_key_id" uuid NOT NULL,
	"month" date NOT NULL,
	"level" text NOT NULL,
	"alert_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_budget_alerts_hub_key_id_month_level_pk" PRIMARY KEY("hub_key_id","month","level")
);
--> statement-breakpoint
CREATE TABLE "usage_key_months" (
	"hub_key_id" uuid NOT NULL,
	"month" date NOT NULL,
	"requests" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_key_months_hub_key_id_month_pk" PRIMARY KEY("hub_key_id","month")
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"hub_key_id" uuid,
	"provider_key_id" uuid,
	"provider_type" text NOT NULL,
	"route" text NOT NULL,
	"endpoint" text NOT NULL,
	"model_requested" text,
	"model_served" text,
	"stream" boolean NOT NULL,
	"status_code" integer NOT NULL,
	"error_code" text,
	"latency_ms" double precision NOT NULL,
	"ttfb_ms" double precision,
	"input_tokens" integer,
	"output_tokens" integer,
	"cached_tokens" integer,
	"reasoning_tokens" integer,
	"cost_usd" numeric,
	"cost_source" text NOT NULL,
	"completed" boolean NOT NULL,
	CONSTRAINT "usage_records_started_at_id_pk" PRIMARY KEY("started_at","id")
) PARTITION BY RANGE ("started_at");
--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express partitioning): the table above is partitioned by day;
-- lib/usage/maintenance.ts creates each day's partition ahead of time and drops expired ones. The
-- DEFAULT partition takes any row whose day has no partition yet, so an insert never fails.
CREATE TABLE "usage_records_default" PARTITION OF "usage_records" DEFAULT;
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"hour" timestamp with time zone NOT NULL,
	"provider_type" text NOT NULL,
	"route" text NOT NULL,
	"model" text NOT NULL,
	"hub_key_id" uuid,
	"provider_key_id" uuid,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"incomplete" integer NOT NULL,
	"unpriced_requests" integer NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_tokens" bigint NOT NULL,
	"reasoning_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"latency_ms_max" double precision NOT NULL,
	"latency_hist" integer[] NOT NULL,
	CONSTRAINT "usage_rollups_group_key" UNIQUE NULLS NOT DISTINCT("hour","provider_type","route","model","hub_key_id","provider_key_id")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_daily" (
	"day" timestamp with time zone NOT NULL,
	"provider_type" text NOT NULL,
	"route" text NOT NULL,
	"model" text NOT NULL,
	"hub_key_id" uuid,
	"provider_key_id" uuid,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"incomplete" integer NOT NULL,
	"unpriced_requests" integer NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_tokens" bigint NOT NULL,
	"reasoning_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"latency_ms_sum" double precision NOT NULL,
	"latency_ms_max" double precision NOT NULL,
	"latency_hist" integer[] NOT NULL,
	CONSTRAINT "usage_rollups_daily_group_key" UNIQUE NULLS NOT DISTINCT("day","provider_type","route","model","hub_key_id","provider_key_id")
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "hub_key_id" uuid;--> statement-breakpoint
CREATE INDEX "usage_rollups_hub_key_idx" ON "usage_rollups" USING btree ("hub_key_id","hour");--> statement-breakpoint
CREATE INDEX "usage_rollups_daily_hub_key_idx" ON "usage_rollups_daily" USING btree ("hub_key_id","day");