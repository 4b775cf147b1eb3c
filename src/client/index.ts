/**
 * `edgeq/client`: a typed client for edgeq's API, for Node, browsers and Workers (fetch only).
 */
export { EdgeqClient, type EdgeqClientOptions, type LiveEvent, type TailOptions, type WaitOptions } from "./client";
export { EdgeqError, EdgeqTimeoutError } from "./errors";
export { retryDelayMs } from "./http";
export type * from "./types";
