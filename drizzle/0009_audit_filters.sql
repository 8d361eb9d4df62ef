CREATE INDEX "audit_events_action_prefix_idx" ON "audit_events" USING btree ("action" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_email" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "audit_events_provider_idx" ON "audit_events" USING btree ("provider_type","id");--> statement-breakpoint
CREATE INDEX "audit_events_outcome_idx" ON "audit_events" USING btree ("outcome","id");