CREATE TABLE "hub_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"owner" text,
	"allowed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rpm_limit" integer,
	"monthly_budget_usd" numeric(14, 4),
	"expires_at" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"key_hash" text NOT NULL,
	"key_preview" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"last_used_at" timestamp with time zone,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_keys_key_hash_idx" ON "hub_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "hub_keys_created_idx" ON "hub_keys" USING btree ("created_at");