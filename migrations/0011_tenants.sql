CREATE TABLE "tenant_usage" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"submitted" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "tenant_usage_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"quotas" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stored_jobs" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "jobs_queue_idempotency_key_idx";--> statement-breakpoint
DROP INDEX "jobs_debounce_pending_idx";--> statement-breakpoint
DROP INDEX "schedules_name_idx";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "job_batches" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "rate_limit_keys" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "tenant_id" text;--> statement-breakpoint
ALTER TABLE "tenant_usage" ADD CONSTRAINT "tenant_usage_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_batches" ADD CONSTRAINT "job_batches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queues" ADD CONSTRAINT "queues_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_limit_keys" ADD CONSTRAINT "rate_limit_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_tenant_created_at_idx" ON "jobs" USING btree ("tenant_id","created_at","id") WHERE "jobs"."tenant_id" is not null;--> statement-breakpoint
CREATE INDEX "queues_tenant_idx" ON "queues" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_queue_idempotency_key_idx" ON "jobs" USING btree ("queue",coalesce("tenant_id", ''),"idempotency_key") WHERE "jobs"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_debounce_pending_idx" ON "jobs" USING btree ("queue",coalesce("tenant_id", ''),"debounce_key") WHERE "jobs"."debounce_key" is not null and "jobs"."state" = 'scheduled' and "jobs"."attempt" = 0;--> statement-breakpoint
CREATE UNIQUE INDEX "schedules_name_idx" ON "schedules" USING btree (coalesce("tenant_id", ''),"name");--> statement-breakpoint
-- Tenant quotas, kept and enforced by the database so every path that stores jobs or queues obeys
-- them: a statement that would put a tenant over a quota fails whole (SQLSTATE EQ001, the detail a
-- JSON object the API turns into a 403 or 429). The tenant's row is locked by the update, so
-- concurrent submissions count one after another and the limit is exact.
CREATE OR REPLACE FUNCTION edgeq_tenant_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  over record;
BEGIN
  WITH added AS (
    SELECT tenant_id, count(*) AS n FROM new_jobs WHERE tenant_id IS NOT NULL GROUP BY tenant_id
  ), stored AS (
    UPDATE tenants t SET stored_jobs = t.stored_jobs + a.n FROM added a WHERE t.id = a.tenant_id
    RETURNING t.id, t.stored_jobs, t.quotas
  ), daily AS (
    INSERT INTO tenant_usage AS u (tenant_id, day, submitted)
    SELECT tenant_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM new_jobs WHERE tenant_id IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (tenant_id, day) DO UPDATE SET submitted = u.submitted + excluded.submitted
    RETURNING u.tenant_id, u.day, u.submitted
  )
  SELECT * INTO over FROM (
    SELECT s.id AS tenant, 'storedJobs' AS quota, (s.quotas->>'storedJobs')::bigint AS lim, s.stored_jobs AS used, NULL::date AS day
      FROM stored s WHERE s.stored_jobs > (s.quotas->>'storedJobs')::bigint
    UNION ALL
    SELECT d.tenant_id, 'jobsPerDay', (t.quotas->>'jobsPerDay')::bigint, d.submitted, d.day
      FROM daily d JOIN tenants t ON t.id = d.tenant_id WHERE d.submitted > (t.quotas->>'jobsPerDay')::bigint
  ) x LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'tenant % is over its % quota', over.tenant, over.quota
      USING ERRCODE = 'EQ001', DETAIL = json_build_object('tenant', over.tenant, 'quota', over.quota, 'limit', over.lim, 'used', over.used, 'day', over.day)::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_tenant_inserted AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION edgeq_tenant_jobs_inserted();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION edgeq_tenant_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tenants t SET stored_jobs = greatest(0, t.stored_jobs - d.n)
    FROM (SELECT tenant_id, count(*) AS n FROM old_jobs WHERE tenant_id IS NOT NULL GROUP BY tenant_id) d
   WHERE t.id = d.tenant_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_tenant_deleted AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION edgeq_tenant_jobs_deleted();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION edgeq_tenant_queues_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  over record;
BEGIN
  -- Lock first, so two statements adding queues for one tenant count one after the other.
  PERFORM 1 FROM tenants WHERE id IN (SELECT tenant_id FROM new_queues) ORDER BY id FOR UPDATE;
  SELECT t.id AS tenant, (t.quotas->>'queues')::bigint AS lim, count(q.name) AS used INTO over
    FROM tenants t JOIN queues q ON q.tenant_id = t.id
   WHERE t.id IN (SELECT tenant_id FROM new_queues) AND t.quotas ? 'queues'
   GROUP BY t.id HAVING count(q.name) > (t.quotas->>'queues')::bigint
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'tenant % is over its queues quota', over.tenant
      USING ERRCODE = 'EQ001', DETAIL = json_build_object('tenant', over.tenant, 'quota', 'queues', 'limit', over.lim, 'used', over.used)::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER queues_tenant_inserted AFTER INSERT ON queues REFERENCING NEW TABLE AS new_queues
  FOR EACH STATEMENT EXECUTE FUNCTION edgeq_tenant_queues_inserted();
