import { z } from "zod";

/**
 * What running jobs costs, estimated from the rollups' counters and published unit prices. The
 * rollups count submissions, attempts and run time; how many platform operations one attempt takes
 * is a property of edgeq's design, stated here once so the estimate can be checked against a bill.
 */

/** Unit prices in USD; defaults are Cloudflare's Workers Paid rates and Neon's Launch compute rate (2026). */
export const unitPricesSchema = z.strictObject({
  workersRequestsPerMillion: z.number().min(0).default(0.3),
  workersCpuMsPerMillion: z.number().min(0).default(0.02),
  queueOperationsPerMillion: z.number().min(0).default(0.4),
  durableObjectRequestsPerMillion: z.number().min(0).default(0.15),
  databaseComputeUnitHour: z.number().min(0).default(0.106),
});
export type UnitPrices = z.infer<typeof unitPricesSchema>;

/** Platform operations per submission and per attempt, from how a job flows through edgeq. */
export const OPERATIONS = {
  /** The submit request (a batch submit shares one; counted per job, so an upper bound). */
  workersRequestsPerJob: 1,
  /** The consumer runs up to 100 deliveries per invocation (wrangler.toml max_batch_size). */
  attemptsPerConsumerInvocation: 100,
  /** Consumer CPU beyond the handler's own run time: claim, decide, write the outcome. */
  cpuOverheadMsPerAttempt: 1,
  /** A delivery is written, read and acknowledged (deleted): three Queue operations. */
  queueOperationsPerAttempt: 3,
  /** The scheduler is told of a new job once, then leases and hears the outcome of each attempt. */
  durableObjectRequestsPerJob: 1,
  durableObjectRequestsPerAttempt: 2,
  /** Database time, at one compute unit: the insert, then the claim and the outcome write per attempt. */
  databaseMsPerJob: 1,
  databaseMsPerAttempt: 2,
} as const;

/** The counters of one queue and job type over a window, as the rollups hold them. */
export interface UsageCounters {
  submitted: number;
  /** Attempts that finished (any outcome), each with a run time. */
  attempts: number;
  failedAttempts: number;
  runMs: number;
}

export interface CostEstimate {
  computeSeconds: number;
  /** Run time of failed attempts, at the mean run time (the rollups do not split run time by outcome). */
  wastedComputeSeconds: number;
  usage: { workersRequests: number; workersCpuMs: number; queueOperations: number; durableObjectRequests: number; databaseSeconds: number };
  cost: { workers: number; queues: number; durableObjects: number; database: number; total: number };
  /** What the failed attempts cost: their share of everything an attempt spends. */
  retryCost: number;
}

/** The estimate for one set of counters at the given prices. */
export function estimateCost(c: UsageCounters, prices: UnitPrices): CostEstimate {
  const o = OPERATIONS;
  const perMillion = (n: number, price: number) => (n / 1e6) * price;
  const attemptShare = c.attempts === 0 ? 0 : c.failedAttempts / c.attempts;

  const requestsForAttempts = c.attempts / o.attemptsPerConsumerInvocation;
  const usage = {
    workersRequests: c.submitted * o.workersRequestsPerJob + requestsForAttempts,
    workersCpuMs: c.runMs + c.attempts * o.cpuOverheadMsPerAttempt,
    queueOperations: c.attempts * o.queueOperationsPerAttempt,
    durableObjectRequests: c.submitted * o.durableObjectRequestsPerJob + c.attempts * o.durableObjectRequestsPerAttempt,
    databaseSeconds: (c.submitted * o.databaseMsPerJob + c.attempts * o.databaseMsPerAttempt) / 1000,
  };
  const databaseCost = (seconds: number) => (seconds / 3600) * prices.databaseComputeUnitHour;
  const cost = {
    workers: perMillion(usage.workersRequests, prices.workersRequestsPerMillion) + perMillion(usage.workersCpuMs, prices.workersCpuMsPerMillion),
    queues: perMillion(usage.queueOperations, prices.queueOperationsPerMillion),
    durableObjects: perMillion(usage.durableObjectRequests, prices.durableObjectRequestsPerMillion),
    database: databaseCost(usage.databaseSeconds),
  };
  const total = cost.workers + cost.queues + cost.durableObjects + cost.database;

  const perAttempt =
    perMillion(requestsForAttempts, prices.workersRequestsPerMillion) +
    perMillion(usage.workersCpuMs, prices.workersCpuMsPerMillion) +
    cost.queues +
    perMillion(c.attempts * o.durableObjectRequestsPerAttempt, prices.durableObjectRequestsPerMillion) +
    databaseCost((c.attempts * o.databaseMsPerAttempt) / 1000);

  return {
    computeSeconds: c.runMs / 1000,
    wastedComputeSeconds: (c.runMs * attemptShare) / 1000,
    usage,
    cost: { ...cost, total },
    retryCost: perAttempt * attemptShare,
  };
}
