/**
 * A stand-in for the Workers AI binding at its boundary: `run(model, { messages, response_format })`
 * answering `{ response, usage }` as Workers AI does in JSON mode. It rejects inputs the real
 * binding would (no messages, no model), records every call, and answers as the test scripts it.
 */
export type FakeAnswer =
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "throw"; message: string }
  | { kind: "slow"; ms: number; value: unknown };

export interface FakeAi {
  binding: Ai;
  calls: { model: string; inputs: { messages: { role: string; content: string }[]; response_format?: { type: string; json_schema?: unknown } } }[];
}

export function fakeAi(answer: FakeAnswer): FakeAi {
  const calls: FakeAi["calls"] = [];
  const usage = { prompt_tokens: 310, completion_tokens: 92, total_tokens: 402 };
  const run = async (model: string, inputs: FakeAi["calls"][number]["inputs"]) => {
    if (!model.startsWith("@cf/")) throw new Error(`AiError: No such model ${model} or task`);
    if (!Array.isArray(inputs?.messages) || inputs.messages.length === 0) throw new Error("AiError: Bad input: must have required property 'messages'");
    calls.push({ model, inputs });
    switch (answer.kind) {
      case "json":
        return { response: answer.value, usage };
      case "text":
        return { response: answer.text, usage };
      case "throw":
        throw new Error(answer.message);
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, answer.ms));
        return { response: answer.value, usage };
    }
  };
  return { binding: { run } as unknown as Ai, calls };
}

/** A verdict as Workers AI would answer it for a database outage. */
export const AI_VERDICT = {
  failure_category: "network",
  suggested_action: "retry_with_backoff",
  confidence_score: 0.82,
  reasoning: "The database refused the connection; this clears once the database is back.",
  eta_minutes: 5,
  scaling_recommendation: null,
};
