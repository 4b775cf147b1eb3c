import { z } from "zod";

/** A queue message: one delivery of one job under one lease. Short keys keep batches small. */
export const jobMessageSchema = z.object({
  /** Queue (scheduler) name. */
  q: z.string(),
  /** Job id. */
  id: z.string(),
  /** Lease number; only the newest lease of a job may run it. */
  l: z.number().int().positive(),
});
export type JobMessage = z.infer<typeof jobMessageSchema>;
