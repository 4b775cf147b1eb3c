import type { JobHandler } from "../types";

/** Returns its payload: the no-op job for demos and benchmarks. */
export const echo: JobHandler = ({ payload }) => payload;
