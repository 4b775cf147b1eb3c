import { z } from "zod";
import { JobError } from "../job-error";
import type { JobHandler } from "../types";

const sleepPayload = z.object({ ms: z.number().int().min(0).max(15 * 60_000) });

/** Waits `ms` milliseconds (or until the timeout aborts it), then returns how long it slept. */
export const sleep: JobHandler = async ({ payload, signal }) => {
  const parsed = sleepPayload.safeParse(payload);
  if (!parsed.success) throw new JobError(`sleep needs {"ms": number}: ${parsed.error.issues[0]?.message}`, { retryable: false, code: "bad_payload" });
  const { ms } = parsed.data;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
  return { sleptMs: ms };
};
