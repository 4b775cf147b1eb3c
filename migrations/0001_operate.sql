CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"rate_limit" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "error_rollups" (
	"day" timestamp with time zone NOT NULL,
	"queue" text NOT NULL,
	"type" text NOT NULL,
	"fingerprint" text NOT NULL,
	"error_name" text NOT NULL,
	"sample_message" text NOT NULL,
	"count" bigint NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "error_rollups_day_queue_type_fingerprint_pk" PRIMARY KEY("day","queue","type","fingerprint")
);
--> statement-breakpoint
CREATE TABLE "job_rollups" (
	"granularity" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"queue" text NOT NULL,
	"type" text NOT NULL,
	"submitted" bigint DEFAULT 0 NOT NULL,
	"completed" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"timed_out" bigint DEFAULT 0 NOT NULL,
	"retried" bigint DEFAULT 0 NOT NULL,
	"dead" bigint DEFAULT 0 NOT NULL,
	"duration_count" bigint DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_buckets" bigint[],
	"latency_buckets" bigint[],
	"completed_by_attempt" bigint[],
	CONSTRAINT "job_rollups_granularity_bucket_queue_type_pk" PRIMARY KEY("granularity","bucket","queue","type")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_idx" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "error_rollups_day_idx" ON "error_rollups" USING btree ("day");--> statement-breakpoint
CREATE INDEX "job_rollups_bucket_idx" ON "job_rollups" USING btree ("granularity","bucket");--> statement-breakpoint
CREATE INDEX "job_attempts_started_at_idx" ON "job_attempts" USING btree ("started_at");