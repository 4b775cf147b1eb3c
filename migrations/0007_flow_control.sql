CREATE TABLE "job_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"callback_url" text,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_dependencies" (
	"job_id" uuid NOT NULL,
	"depends_on" uuid NOT NULL,
	CONSTRAINT "job_dependencies_job_id_depends_on_pk" PRIMARY KEY("job_id","depends_on")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"limit" integer NOT NULL,
	"period_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "on_dependency_failure" text DEFAULT 'cancel' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "has_dependents" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "rate_limit_key" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "concurrency_key" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "concurrency_limit" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "debounce_key" text;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "rate_limit" jsonb;--> statement-breakpoint
ALTER TABLE "job_dependencies" ADD CONSTRAINT "job_dependencies_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_dependencies_depends_on_idx" ON "job_dependencies" USING btree ("depends_on");--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_batch_id_job_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."job_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_batch_state_idx" ON "jobs" USING btree ("batch_id","state") WHERE "jobs"."batch_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_debounce_pending_idx" ON "jobs" USING btree ("queue","debounce_key") WHERE "jobs"."debounce_key" is not null and "jobs"."state" = 'scheduled' and "jobs"."attempt" = 0;