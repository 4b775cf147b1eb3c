import { blockCap, grantedBlock, nextBlockSize, takeFromBlock, type PermitBlock } from "../core/permit-block";
import type { Limiter, LimitPolicy, LimitVerdict } from "./limiter";

/** Blocks per isolate, by limiter, identifier and policy; bounded like the API-key cache. */
const CACHE_SIZE = 1000;
const blocks = new Map<string, PermitBlock>();

/**
 * Wraps a limiter so an isolate serves requests from permits it took ahead (see core/permit-block):
 * the limiter's call, a Durable Object or Redis round trip, is made once per block, not per request.
 */
export function withPermitBlocks(limiter: Limiter, name: string): Limiter {
  return {
    take: (identifier, policy, wanted, now) => limiter.take(identifier, policy, wanted, now),
    async limit(identifier: string, policy: LimitPolicy): Promise<LimitVerdict> {
      const key = `${name}|${identifier}|${policy.limit}/${policy.windowMs}`;
      const now = Date.now();
      const previous = blocks.get(key);
      const local = takeFromBlock(previous, now);
      if (local) return { success: true, limit: policy.limit, ...local };
      const size = nextBlockSize(previous, now, blockCap(policy.limit));
      let verdict = await limiter.limit(identifier, policy, size);
      let granted = size;
      // All or none: when a block does not fit, one permit still may.
      if (!verdict.success && size > 1) {
        verdict = await limiter.limit(identifier, policy, 1);
        granted = 1;
      }
      blocks.delete(key);
      if (!verdict.success) return verdict;
      if (blocks.size >= CACHE_SIZE) blocks.delete(blocks.keys().next().value!);
      const block = grantedBlock(granted, verdict.remaining, verdict.reset, now);
      blocks.set(key, block);
      return { ...verdict, remaining: verdict.remaining + block.left };
    },
  };
}
