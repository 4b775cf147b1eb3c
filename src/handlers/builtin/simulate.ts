import { planAttempt, simulatePayloadSchema } from "../../core/simulation";
import { JobError } from "../job-error";
import type { JobHandler } from "../types";
import { wait } from "../wait";

/**
 * Behaves like a real job: takes a realistic time and fails at the asked rate with realistic errors
 * (see src/core/simulation.ts). For demos, the dashboard, load tests and the AI evaluation.
 */
export const simulate: JobHandler = async ({ payload, signal }) => {
  const parsed = simulatePayloadSchema.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JobError(`simulate has a bad payload: ${issue?.path.join(".") || "payload"}: ${issue?.message}`, { retryable: false, code: "bad_payload" });
  }
  const plan = planAttempt(parsed.data, Math.random);
  await wait(plan.latencyMs, signal);
  if (plan.error) {
    const { name, message, code, retryable, retryAfterMs } = plan.error;
    // A JobError carries retryability and Retry-After; its name is the simulated error's.
    throw Object.assign(new JobError(message, { code, retryable, retryAfterMs }), { name });
  }
  return { simulated: true, latencyMs: plan.latencyMs };
};
