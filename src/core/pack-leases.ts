/** Cloudflare Queues take at most 100 messages per sendBatch and deliver at most 100 per batch. */
export const MESSAGES_PER_SEND = 100;
/**
 * At most this many jobs share a message, so one consumer invocation holds at most 1,000 jobs
 * (100 messages), within a Worker invocation's subrequest and CPU limits for light jobs.
 */
export const MAX_JOBS_PER_MESSAGE = 10;

/**
 * Splits leased jobs into messages: one job per message while a dispatch fits in one send of 100
 * messages, more per message (up to MAX_JOBS_PER_MESSAGE) when it does not. A message costs the
 * same to send and to deliver whatever it holds, and Queues limit messages per second, so packing
 * raises the jobs a queue and a consumer invocation can carry (docs/scaling.md has the figures).
 */
export function packLeases<T>(leased: T[]): T[][] {
  const perMessage = Math.min(MAX_JOBS_PER_MESSAGE, Math.max(1, Math.ceil(leased.length / MESSAGES_PER_SEND)));
  const messages: T[][] = [];
  for (let i = 0; i < leased.length; i += perMessage) messages.push(leased.slice(i, i + perMessage));
  return messages;
}
