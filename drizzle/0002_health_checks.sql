CREATE TABLE "health_checks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_checks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider_key_id" uuid NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"trigger" text NOT NULL,
	"outcome" text NOT NULL,
	"error_code" text,
	"status_code" integer,
	"latency_ms" integer,
	"models_found" integer
);
--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_provider_key_id_provider_keys_id_fk" FOREIGN KEY ("provider_key_id") REFERENCES "public"."provider_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "health_checks_key_time_idx" ON "health_checks" USING btree ("provider_key_id","checked_at");--> statement-breakpoint
CREATE INDEX "health_checks_time_idx" ON "health_checks" USING btree ("checked_at");