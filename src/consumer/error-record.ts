import type { JobErrorRecord } from "../db/schema";
import { JobError } from "../handlers/job-error";

const MAX_STACK = 4000;
const MAX_MESSAGE = 2000;

/** Turns whatever a handler threw into the record stored on the job and its attempt. */
export function toErrorRecord(thrown: unknown): JobErrorRecord {
  if (thrown instanceof JobError) {
    return { name: thrown.name, message: thrown.message.slice(0, MAX_MESSAGE), stack: thrown.stack?.slice(0, MAX_STACK), code: thrown.code, retryable: thrown.retryable };
  }
  if (thrown instanceof Error) {
    return { name: thrown.name, message: thrown.message.slice(0, MAX_MESSAGE), stack: thrown.stack?.slice(0, MAX_STACK), retryable: true };
  }
  return { name: "NonError", message: String(thrown).slice(0, MAX_MESSAGE), retryable: true };
}
