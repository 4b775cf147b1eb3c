import { z } from "zod";
import { JobError } from "../job-error";
import type { JobHandler } from "../types";
import { wait } from "../wait";

const sleepPayload = z.object({ ms: z.number().int().min(0).max(15 * 60_000) });

/** Waits `ms` milliseconds (or until the timeout aborts it), then returns how long it slept. */
export const sleep: JobHandler = async ({ payload, signal }) => {
  const parsed = sleepPayload.safeParse(payload);
  if (!parsed.success) throw new JobError(`sleep needs {"ms": number}: ${parsed.error.issues[0]?.message}`, { retryable: false, code: "bad_payload" });
  await wait(parsed.data.ms, signal);
  return { sleptMs: parsed.data.ms };
};
