/**
 * `edgeq/worker`: run edgeq jobs in any Node process (long, heavy or native work that does not fit
 * a Worker). Leases from pull queues over HTTP with the `edgeq/client` SDK.
 */
export { createWorker, type EdgeqWorker } from "./create-worker";
export { JobError } from "../handlers/job-error";
export type { LeasedJob, WorkerHandler, WorkerJobContext, WorkerOptions } from "./types";
