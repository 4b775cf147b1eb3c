import { z } from "zod";

/** One delivery of one job under one lease. Short keys keep batches small. */
export const jobMessageSchema = z.object({
  /** Queue (scheduler) name. */
  q: z.string(),
  /** Job id. */
  id: z.string(),
  /** Lease number; only the newest lease of a job may run it. */
  l: z.number().int().positive(),
});
export type JobMessage = z.infer<typeof jobMessageSchema>;

/** Several deliveries of one queue in one message (see core/pack-leases): `[job id, lease]` pairs. */
export const packedMessageSchema = z.object({
  q: z.string(),
  j: z.array(z.tuple([z.string(), z.number().int().positive()])).min(1),
});
export type PackedMessage = z.infer<typeof packedMessageSchema>;

/** What the jobs queue carries: a packed message, or a single delivery (as sent before packing). */
export const queueMessageSchema = z.union([packedMessageSchema, jobMessageSchema]);
export type QueueMessage = z.infer<typeof queueMessageSchema>;

/** The deliveries a message carries. */
export function deliveriesIn(message: QueueMessage): JobMessage[] {
  return "j" in message ? message.j.map(([id, l]) => ({ q: message.q, id, l })) : [message];
}
