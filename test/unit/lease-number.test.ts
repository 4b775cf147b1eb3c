import { describe, expect, it } from "vitest";
import { leaseDeadline, nextLeaseNumber } from "../../src/scheduler/lease-number";

describe("lease numbers", () => {
  it("always grow, even when many are issued in one millisecond", () => {
    let last = 0;
    for (let i = 0; i < 5000; i++) {
      const next = nextLeaseNumber(last, 1_700_000_000_000);
      expect(next).toBeGreaterThan(last);
      last = next;
    }
  });

  it("start above any lease an older store issued, after storage is lost", () => {
    const beforeLoss = nextLeaseNumber(0, 1_700_000_000_000);
    expect(nextLeaseNumber(0, 1_700_000_000_001)).toBeGreaterThan(beforeLoss);
  });

  it("give a lease the job's timeout plus the visibility margin", () => {
    expect(leaseDeadline(1000, 30_000, 5000)).toBe(36_000);
  });
});
