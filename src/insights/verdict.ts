import { z } from "zod";

/** What kind of failure an attempt met. */
export const FAILURE_CATEGORIES = [
  "timeout",
  "network",
  "rate_limited",
  "upstream_5xx",
  "auth",
  "bad_input",
  "not_found",
  "resource_exhausted",
  "handler_bug",
  "unknown",
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** What an operator (or the retry policy) should do about it. */
export const SUGGESTED_ACTIONS = ["retry_with_backoff", "retry_later", "dead_letter", "fix_payload", "alert", "scale_up"] as const;
export type SuggestedAction = (typeof SUGGESTED_ACTIONS)[number];

/**
 * An analysis of one failure, in the field names insight clients read. The same schema validates
 * Workers AI's answer and, as JSON Schema, tells the model what to answer.
 */
export const verdictSchema = z.strictObject({
  failure_category: z.enum(FAILURE_CATEGORIES),
  suggested_action: z.enum(SUGGESTED_ACTIONS),
  confidence_score: z.number().min(0).max(1),
  reasoning: z.string().min(1).max(2000),
  eta_minutes: z.number().int().min(0).max(7 * 24 * 60).nullable(),
  scaling_recommendation: z.string().max(500).nullable(),
});
export type Verdict = z.infer<typeof verdictSchema>;

/** Categories that repeating the same job cannot fix; the others may pass on a later attempt. */
export const PERMANENT_CATEGORIES: readonly FailureCategory[] = ["auth", "bad_input", "not_found", "handler_bug"];
