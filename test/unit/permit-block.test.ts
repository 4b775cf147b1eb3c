import { describe, expect, it } from "vitest";
import { BLOCK_TTL_MS, blockCap, grantedBlock, nextBlockSize, takeFromBlock } from "../../src/core/permit-block";
import { slidingWindow } from "../../src/core/sliding-window";

describe("permit blocks", () => {
  it("asks the limiter on every request when the limit is under 200", () => {
    expect(blockCap(3)).toBe(1);
    expect(blockCap(199)).toBe(1);
    const block = grantedBlock(1, 2, 60_000, 0);
    expect(takeFromBlock(block, 1)).toBeNull();
    expect(nextBlockSize(block, 1, blockCap(3))).toBe(1);
  });

  it("doubles a block used up while fresh, up to a hundredth of the limit and at most 100", () => {
    expect(blockCap(50_000)).toBe(100);
    expect(blockCap(1_000)).toBe(10);
    let size = nextBlockSize(undefined, 0, 10);
    const sizes = [];
    for (let i = 0; i < 6; i++) {
      const block = grantedBlock(size, 1000, 60_000, 0);
      while (takeFromBlock(block, 0)) ;
      sizes.push(size);
      size = nextBlockSize(block, 0, 10);
    }
    expect(sizes).toEqual([1, 2, 4, 8, 10, 10]);
  });

  it("counts down RateLimit-Remaining through the block, and starts over at one after a quiet spell", () => {
    const block = grantedBlock(4, 100, 60_000, 0);
    expect([takeFromBlock(block, 1), takeFromBlock(block, 2), takeFromBlock(block, 3)].map((t) => t?.remaining)).toEqual([102, 101, 100]);
    expect(takeFromBlock(block, 4)).toBeNull();
    const stale = grantedBlock(4, 100, 60_000, 0);
    expect(takeFromBlock(stale, BLOCK_TTL_MS)).toBeNull();
    expect(nextBlockSize(stale, BLOCK_TTL_MS, 100)).toBe(1);
  });

  it("asks for no more than the limiter last said remained", () => {
    const block = grantedBlock(8, 5, 60_000, 0);
    while (takeFromBlock(block, 0));
    expect(nextBlockSize(block, 0, 100)).toBe(5);
  });

  it("never outlives the limiter's window", () => {
    expect(grantedBlock(8, 10, 500, 0).expiresAt).toBe(500);
  });

  it("takes a block from the sliding window all or none", () => {
    const first = slidingWindow(undefined, 0, 10, 1000, 8);
    expect(first).toMatchObject({ success: true, remaining: 2 });
    expect(slidingWindow(first.state, 1, 10, 1000, 4).success).toBe(false);
    expect(slidingWindow(first.state, 1, 10, 1000, 2)).toMatchObject({ success: true, remaining: 0 });
  });
});
