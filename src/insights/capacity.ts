/** Measured load of one queue over a recent window. */
export interface QueueLoad {
  /** Jobs arriving per second. */
  arrivalPerSec: number;
  /** Mean attempt duration, ms. */
  serviceMs: number;
  /** Attempts per job (retries add work). */
  attemptsPerJob: number;
  /** Jobs waiting now. */
  backlog: number;
  /** Attempts completed per second (any outcome). */
  throughputPerSec: number;
  concurrency: number;
}

/**
 * Concurrency the queue needs to keep a job's latency (wait + run) under `targetMs`. By Little's law
 * the work in flight is λ·S; treating each slot as a single server, latency is S / (1 − ρ), so the
 * utilisation may be at most ρ = 1 − S/target, and c = λ·S / ρ. A backlog adds the slots that clear
 * it within the target.
 */
export function recommendConcurrency(load: QueueLoad, targetMs: number): { recommended: number | null; utilisation: number; reasoning: string } {
  const work = load.arrivalPerSec * load.attemptsPerJob;
  const serviceSec = load.serviceMs / 1000;
  const inFlight = work * serviceSec;
  const utilisation = load.concurrency > 0 ? inFlight / load.concurrency : 0;
  const numbers = `arrivals ${load.arrivalPerSec.toFixed(3)}/s × ${load.attemptsPerJob.toFixed(2)} attempts per job, mean run ${Math.round(load.serviceMs)} ms: ${inFlight.toFixed(2)} attempts in flight on average (Little's law), ${Math.round(utilisation * 100)}% of the current concurrency ${load.concurrency}`;
  if (load.serviceMs <= 0 || work <= 0) {
    return { recommended: null, utilisation, reasoning: `no attempts finished in the window, so there is nothing to size from; keep concurrency ${load.concurrency}` };
  }
  if (targetMs <= load.serviceMs) {
    return { recommended: null, utilisation, reasoning: `${numbers}. A target of ${targetMs} ms is below the mean run time itself; more concurrency cannot meet it — make the jobs faster` };
  }
  const rho = 1 - load.serviceMs / targetMs;
  const steady = inFlight / rho;
  const drain = (load.backlog * load.attemptsPerJob * serviceSec) / (targetMs / 1000);
  const recommended = Math.max(1, Math.ceil(steady + drain));
  const change = recommended > load.concurrency ? `raise concurrency to ${recommended}` : recommended < load.concurrency ? `concurrency ${recommended} would do; ${load.concurrency} leaves headroom` : `keep concurrency ${recommended}`;
  return {
    recommended,
    utilisation,
    reasoning: `${numbers}. Meeting ${targetMs} ms allows each slot ${Math.round(rho * 100)}% busy, so ${steady.toFixed(1)} slots for the arrivals${load.backlog > 0 ? ` plus ${drain.toFixed(1)} to clear the backlog of ${load.backlog} within the target` : ""}: ${change}`,
  };
}

/**
 * When a queued job should start and finish: the jobs ahead of it run `effective` at a time, where
 * the effective concurrency is what the queue actually sustains (throughput × run time, Little's
 * law) capped by its setting.
 */
export function estimateEta(position: number, load: Pick<QueueLoad, "serviceMs" | "throughputPerSec" | "concurrency">, now: number) {
  const observed = load.throughputPerSec * (load.serviceMs / 1000);
  const effective = Math.max(1, Math.min(load.concurrency, observed > 0 ? observed : load.concurrency));
  const waitMs = Math.ceil(Math.max(0, position - 1) / effective) * load.serviceMs;
  return { position, effectiveConcurrency: Math.round(effective * 100) / 100, startsAt: new Date(now + waitMs), finishesAt: new Date(now + waitMs + load.serviceMs) };
}

/** A suggestion for a slow job type from its duration profile against its timeout. */
export function slowJobSuggestion(s: { p50Ms: number; p95Ms: number; timeouts: number; attempts: number; timeoutMs: number }): string {
  if (s.timeouts / Math.max(1, s.attempts) > 0.05) return `${s.timeouts} of ${s.attempts} attempts timed out: raise timeoutMs above ${Math.round(s.p95Ms)} ms or split the job into smaller steps`;
  if (s.p95Ms > 0.8 * s.timeoutMs) return `p95 ${Math.round(s.p95Ms)} ms is within 20% of the ${s.timeoutMs} ms timeout: raise the timeout before it starts failing`;
  if (s.p95Ms > 10 * Math.max(1, s.p50Ms)) return `a long tail (p95 ${Math.round(s.p95Ms)} ms vs p50 ${Math.round(s.p50Ms)} ms): look for slow dependencies or outsized payloads on the slow runs`;
  if (s.p50Ms > 30_000) return "most runs take over 30 s: run this type on a pull worker, where Worker CPU and duration limits do not apply";
  if (s.p95Ms < 1000) return "fast enough: 95% of runs finish within a second";
  return "uniformly slow: profile the handler, or cache what it fetches";
}
