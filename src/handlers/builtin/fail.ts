import { z } from "zod";
import { JobError } from "../job-error";
import type { JobHandler } from "../types";

const failPayload = z.object({
  /** Fails attempts 1..times of the job's life, then succeeds. Omitted: always fails. */
  times: z.number().int().min(0).optional(),
  message: z.string().default("fail handler failed as asked"),
  retryable: z.boolean().default(true),
});

/** Fails on purpose, for demos and tests of retries and the dead-letter queue. */
export const fail: JobHandler = ({ payload, job }) => {
  const parsed = failPayload.safeParse(payload ?? {});
  if (!parsed.success) throw new JobError(`fail has a bad payload: ${parsed.error.issues[0]?.message}`, { retryable: false, code: "bad_payload" });
  const { times, message, retryable } = parsed.data;
  if (times === undefined || job.attempt <= times) throw new JobError(message, { retryable, code: "requested_failure" });
  return { succeededOnAttempt: job.attempt };
};
