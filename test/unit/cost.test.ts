import { describe, expect, it } from "vitest";
import { estimateCost, unitPricesSchema } from "../../src/core/cost";

const prices = unitPricesSchema.parse({});

describe("cost estimates", () => {
  it("prices a million jobs with a sixth of attempts failing, operation by operation", () => {
    const e = estimateCost({ submitted: 1_000_000, attempts: 1_200_000, failedAttempts: 200_000, runMs: 1_200_000 * 50 }, prices);
    // 1M submits + 12k consumer invocations; 60M ms run + 1.2M ms overhead; 3 Queue operations an attempt.
    expect(e.usage).toEqual({ workersRequests: 1_012_000, workersCpuMs: 61_200_000, queueOperations: 3_600_000, durableObjectRequests: 3_400_000, databaseSeconds: 3400 });
    expect(e.cost.workers).toBeCloseTo(1.012 * 0.3 + 61.2 * 0.02, 10);
    expect(e.cost.queues).toBeCloseTo(3.6 * 0.4, 10);
    expect(e.cost.durableObjects).toBeCloseTo(3.4 * 0.15, 10);
    expect(e.cost.database).toBeCloseTo((3400 / 3600) * 0.106, 10);
    expect(e.cost.total).toBeCloseTo(e.cost.workers + e.cost.queues + e.cost.durableObjects + e.cost.database, 10);
    expect(e.computeSeconds).toBe(60_000);
    expect(e.wastedComputeSeconds).toBe(10_000);
    // A sixth of everything the attempts spent; none of what the submissions did.
    const attemptsCost = 0.012 * 0.3 + 61.2 * 0.02 + 3.6 * 0.4 + 2.4 * 0.15 + (2400 / 3600) * 0.106;
    expect(e.retryCost).toBeCloseTo(attemptsCost / 6, 10);
  });

  it("costs nothing to retry when nothing failed, and nothing at all for no work", () => {
    expect(estimateCost({ submitted: 10, attempts: 10, failedAttempts: 0, runMs: 100 }, prices).retryCost).toBe(0);
    expect(estimateCost({ submitted: 0, attempts: 0, failedAttempts: 0, runMs: 0 }, prices).cost.total).toBe(0);
  });

  it("takes other unit prices and refuses negative ones", () => {
    const free = unitPricesSchema.parse({ workersRequestsPerMillion: 0, workersCpuMsPerMillion: 0, queueOperationsPerMillion: 0, durableObjectRequestsPerMillion: 0, databaseComputeUnitHour: 0 });
    expect(estimateCost({ submitted: 5, attempts: 5, failedAttempts: 1, runMs: 10 }, free).cost.total).toBe(0);
    expect(unitPricesSchema.safeParse({ queueOperationsPerMillion: -1 }).success).toBe(false);
    expect(unitPricesSchema.safeParse({ dollars: 1 }).success).toBe(false);
  });
});
