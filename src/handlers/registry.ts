import { echo } from "./builtin/echo";
import { fail } from "./builtin/fail";
import { http } from "./builtin/http";
import { sleep } from "./builtin/sleep";
import type { JobHandler } from "./types";

/** In-Worker handlers by job type. Add your own here: `registry.set("send-email", sendEmail)`. */
export const registry = new Map<string, JobHandler>([
  ["echo", echo],
  ["sleep", sleep],
  ["fail", fail],
  ["http", http],
]);
