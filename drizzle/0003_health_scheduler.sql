CREATE TABLE "scheduler_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"epoch" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provider_keys" ADD COLUMN "next_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "provider_keys" ADD COLUMN "check_backoff" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "provider_keys_next_check_idx" ON "provider_keys" USING btree ("next_check_at");