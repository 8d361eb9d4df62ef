ALTER TABLE "usage_rollups" DROP CONSTRAINT "usage_rollups_group_key";--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" DROP CONSTRAINT "usage_rollups_daily_group_key";--> statement-breakpoint
ALTER TABLE "health_checks" ADD COLUMN "credits" jsonb;--> statement-breakpoint
ALTER TABLE "hub_keys" ADD COLUMN "scopes" jsonb DEFAULT '["gateway"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_keys" ADD COLUMN "credit_alert_state" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "source" text DEFAULT 'gateway' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "source" text DEFAULT 'gateway' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" ADD COLUMN "source" text DEFAULT 'gateway' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "usage_records_request_idx" ON "usage_records" USING btree ("started_at","request_id");--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD CONSTRAINT "usage_rollups_group_key" UNIQUE NULLS NOT DISTINCT("hour","provider_type","route","model","hub_key_id","provider_key_id","source");--> statement-breakpoint
ALTER TABLE "usage_rollups_daily" ADD CONSTRAINT "usage_rollups_daily_group_key" UNIQUE NULLS NOT DISTINCT("day","provider_type","route","model","hub_key_id","provider_key_id","source");