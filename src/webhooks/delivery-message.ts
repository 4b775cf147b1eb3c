import { z } from "zod";

/** The webhooks queue's name in wrangler.toml: the Worker consumes both queues and tells their batches apart by it. */
export const WEBHOOKS_QUEUE_NAME = "edgeq-webhooks";

/** A webhooks-queue message: one try of one delivery row. */
export const deliveryMessageSchema = z.object({ d: z.uuid() });
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;
