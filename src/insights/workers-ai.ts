import { z } from "zod";
import type { FailureFacts } from "./analyzer";
import { verdictSchema, type Verdict } from "./verdict";

export const DEFAULT_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";
/** A slow model must not hold the analysis open: past this the built-in verdict stands. */
export const AI_TIMEOUT_MS = 8000;

/** The answer format Workers AI is asked for (JSON mode), derived from the schema that validates it. */
const RESPONSE_FORMAT = { type: "json_schema", json_schema: z.toJSONSchema(verdictSchema) } as const;

const SYSTEM_PROMPT = `You analyse failed background jobs for an operator. Given one failure, answer only with JSON that
matches the schema: failure_category (what failed), suggested_action (what to do), confidence_score (0-1),
reasoning (two or three sentences, concrete), eta_minutes (minutes until a retry is likely to succeed, null if
never) and scaling_recommendation (a concurrency or capacity change, or null). A rule-based analyzer's verdict is
given as a hint; disagree with it when the evidence says so.`;

export type AiOutcome = { ok: true; verdict: Verdict } | { ok: false; reason: string };

function prompt(facts: FailureFacts, builtin: Verdict): string {
  const { error } = facts;
  return JSON.stringify({
    queue: facts.queue,
    job_type: facts.type,
    error: { name: error.name, message: error.message.slice(0, 1500), code: error.code ?? null, stack: error.stack?.split("\n").slice(0, 6).join("\n") ?? null },
    handler_said_retryable: error.retryable,
    timed_out: facts.timedOut,
    attempt: facts.attempt,
    max_attempts: facts.maxAttempts,
    previous_failures: facts.previousFailures,
    rule_based_hint: builtin,
  });
}

/** Workers AI answers `{ response }`: an object in JSON mode, or JSON text from some models. */
function answerOf(result: unknown): unknown {
  const response = (result as { response?: unknown } | null)?.response;
  return typeof response === "string" ? JSON.parse(response) : response;
}

/**
 * Asks Workers AI for a verdict in JSON mode and validates it. Never throws: an error, a timeout,
 * malformed JSON or an answer outside the schema comes back as `ok: false` with the reason, and the
 * caller keeps the built-in verdict.
 */
export async function askWorkersAi(ai: Ai, model: string, facts: FailureFacts, builtin: Verdict, timeoutMs = AI_TIMEOUT_MS): Promise<AiOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([
      ai.run(model as typeof DEFAULT_AI_MODEL, {
        messages: [
          { role: "system", content: SYSTEM_PROMPT },
          { role: "user", content: prompt(facts, builtin) },
        ],
        response_format: RESPONSE_FORMAT,
        max_tokens: 512,
        temperature: 0.1,
      }),
      timeout,
    ]);
    let answer: unknown;
    try {
      answer = answerOf(result);
    } catch (error) {
      return { ok: false, reason: `malformed JSON: ${(error as Error).message}` };
    }
    const parsed = verdictSchema.safeParse(answer);
    if (!parsed.success) return { ok: false, reason: `answer outside the schema: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}` };
    return { ok: true, verdict: parsed.data };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
