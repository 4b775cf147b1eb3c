/** What the comparison asks of each system; the measurements (measure.ts) are the same for all. */
export type Workload = "noop" | "sleep10";

export interface System {
  name: string;
  /** A fresh queue with no worker on it. */
  newQueue(label: string): Promise<string>;
  add(queue: string, index: number, workload: Workload): Promise<void>;
  addBulk(queue: string, from: number, count: number, workload: Workload): Promise<void>;
  /** Starts processing `queue`; resolves once `total` jobs of it have completed. */
  process(queue: string, total: number, workload: Workload): Promise<{ done: Promise<void>; stop(): Promise<void> }>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
