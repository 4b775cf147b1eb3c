/**
 * Structured logs: one JSON object per line, so Workers Logs (and any log drain) can filter by
 * job id, queue, attempt or request id rather than by matching text.
 */
export interface LogFields {
  jobId?: string;
  queue?: string;
  attempt?: number;
  requestId?: string;
  [field: string]: unknown;
}

type Level = "debug" | "info" | "warn" | "error";

interface ErrorFields {
  name?: string;
  message: string;
  stack?: string;
  cause?: ErrorFields;
}

function describe(error: unknown): ErrorFields {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack, cause: error.cause === undefined ? undefined : describe(error.cause) };
  return { message: String(error) };
}

export function log(level: Level, msg: string, fields: LogFields = {}, error?: unknown): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields, ...(error === undefined ? {} : { error: describe(error) }) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
