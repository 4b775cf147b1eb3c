import { describe, expect, it } from "vitest";
import { analyzeFailure, type FailureFacts } from "../../src/insights/analyzer";
import { askWorkersAi, DEFAULT_AI_MODEL } from "../../src/insights/workers-ai";
import { AI_VERDICT, fakeAi } from "../helpers/fake-ai";

const facts: FailureFacts = {
  queue: "emails",
  type: "send-email",
  error: { name: "Error", message: "connect ECONNREFUSED 10.0.0.5:5432", code: "ECONNREFUSED", retryable: true },
  timedOut: false,
  attempt: 1,
  maxAttempts: 3,
  previousFailures: 0,
};
const builtin = analyzeFailure(facts);

describe("Workers AI failure analysis", () => {
  it("asks in JSON mode with the verdict's JSON schema and takes a valid answer", async () => {
    const ai = fakeAi({ kind: "json", value: AI_VERDICT });
    const outcome = await askWorkersAi(ai.binding, DEFAULT_AI_MODEL, facts, builtin);
    expect(outcome).toEqual({ ok: true, verdict: AI_VERDICT });
    expect(ai.calls).toHaveLength(1);
    const { model, inputs } = ai.calls[0]!;
    expect(model).toBe("@cf/meta/llama-3.1-8b-instruct");
    expect(inputs.response_format).toMatchObject({ type: "json_schema", json_schema: { type: "object", required: expect.arrayContaining(["failure_category", "confidence_score"]) } });
    expect(inputs.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(JSON.parse(inputs.messages[1]!.content)).toMatchObject({ job_type: "send-email", error: { message: facts.error.message }, rule_based_hint: { failure_category: "network" } });
  });

  it("takes an answer given as JSON text", async () => {
    const outcome = await askWorkersAi(fakeAi({ kind: "text", text: JSON.stringify(AI_VERDICT) }).binding, DEFAULT_AI_MODEL, facts, builtin);
    expect(outcome).toEqual({ ok: true, verdict: AI_VERDICT });
  });

  it("refuses malformed JSON", async () => {
    const outcome = await askWorkersAi(fakeAi({ kind: "text", text: '{"failure_category": "network", "confid' }).binding, DEFAULT_AI_MODEL, facts, builtin);
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed JSON/) });
  });

  it("refuses an answer outside the schema", async () => {
    for (const value of [{ ...AI_VERDICT, failure_category: "cosmic_rays" }, { ...AI_VERDICT, confidence_score: 1.7 }, { ...AI_VERDICT, extra: true }, 42]) {
      const outcome = await askWorkersAi(fakeAi({ kind: "json", value }).binding, DEFAULT_AI_MODEL, facts, builtin);
      expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/^answer outside the schema/) });
    }
  });

  it("survives a thrown error", async () => {
    const outcome = await askWorkersAi(fakeAi({ kind: "throw", message: "AiError: 3040: Capacity temporarily exceeded" }).binding, DEFAULT_AI_MODEL, facts, builtin);
    expect(outcome).toEqual({ ok: false, reason: "AiError: 3040: Capacity temporarily exceeded" });
  });

  it("gives up on a slow answer at the timeout", async () => {
    const started = Date.now();
    const outcome = await askWorkersAi(fakeAi({ kind: "slow", ms: 2000, value: AI_VERDICT }).binding, DEFAULT_AI_MODEL, facts, builtin, 50);
    expect(outcome).toEqual({ ok: false, reason: "no answer within 50 ms" });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
