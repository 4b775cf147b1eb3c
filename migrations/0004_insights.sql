CREATE TABLE "anomalies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"queue" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"baseline_mean" double precision NOT NULL,
	"baseline_std" double precision NOT NULL,
	"z_score" double precision NOT NULL,
	"message" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_jobs" (
	"job_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"insight_id" uuid NOT NULL,
	"job_type" text NOT NULL,
	"category" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insight_jobs_job_id_attempt_pk" PRIMARY KEY("job_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "insights" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"queue" text NOT NULL,
	"job_type" text NOT NULL,
	"job_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"error" jsonb NOT NULL,
	"failure_category" text NOT NULL,
	"suggested_action" text NOT NULL,
	"confidence_score" double precision NOT NULL,
	"reasoning" text NOT NULL,
	"eta_minutes" integer,
	"scaling_recommendation" text,
	"source" text NOT NULL,
	"model" text,
	"ai_error" text,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "predictor_models" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "predictor_models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"trained_at" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"model" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_baselines" (
	"queue" text NOT NULL,
	"metric" text NOT NULL,
	"mean" double precision NOT NULL,
	"variance" double precision NOT NULL,
	"samples" integer NOT NULL,
	"last_value" double precision,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_baselines_queue_metric_pk" PRIMARY KEY("queue","metric")
);
--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "retry_policy" text DEFAULT 'fixed' NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_jobs" ADD CONSTRAINT "insight_jobs_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_jobs" ADD CONSTRAINT "insight_jobs_insight_id_insights_id_fk" FOREIGN KEY ("insight_id") REFERENCES "public"."insights"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "anomalies_detected_at_idx" ON "anomalies" USING btree ("detected_at","id");--> statement-breakpoint
CREATE INDEX "anomalies_queue_detected_at_idx" ON "anomalies" USING btree ("queue","detected_at");--> statement-breakpoint
CREATE INDEX "insight_jobs_insight_idx" ON "insight_jobs" USING btree ("insight_id");--> statement-breakpoint
CREATE INDEX "insight_jobs_class_idx" ON "insight_jobs" USING btree ("job_type","category","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "insights_fingerprint_window_idx" ON "insights" USING btree ("fingerprint","window_start");--> statement-breakpoint
CREATE INDEX "insights_created_at_id_idx" ON "insights" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "insights_queue_created_at_idx" ON "insights" USING btree ("queue","created_at");