import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { sql } from "drizzle-orm";
import { api, uniqueQueue } from "../helpers/api";
import { db } from "../helpers/db";
import { deliver } from "../helpers/deliver";
import { AI_VERDICT, fakeAi } from "../helpers/fake-ai";

/** Calls the Worker's fetch with its env wrapped (a fake `AI` bound), waiting out its `waitUntil`s. */
async function apiWith(bindings: Partial<Cloudflare.Env>, method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const authorization = `Bearer ${env.EDGEQ_ADMIN_KEY}`;
  const init: RequestInit =
    body === undefined ? { method, headers: { authorization } } : { method, body: JSON.stringify(body), headers: { authorization, "content-type": "application/json" } };
  const response = await worker.fetch(new Request(`http://edgeq.test${path}`, init), { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: (await response.json()) as any };
}

async function failingJob(queue: string, message: string, extra: Record<string, unknown> = {}) {
  const { body } = await api("POST", "/api/v1/jobs", { queue, type: "fail", payload: { message, ...extra }, maxAttempts: 3 });
  return body.id as string;
}

describe("failure insights", () => {
  it("explains a failed attempt off the job's path with the built-in analyzer when AI is not bound", async () => {
    const queue = uniqueQueue();
    const id = await failingJob(queue, "connect ECONNREFUSED 10.0.0.5:5432");
    await deliver(queue);
    expect((await api("GET", `/api/v1/jobs/${id}`)).body).toMatchObject({ state: "scheduled", attempt: 1 });

    const list = await api("GET", `/api/v1/insights?job_id=${id}`);
    expect(list.status).toBe(200);
    expect(list.body.insights).toHaveLength(1);
    const insight = list.body.insights[0];
    expect(insight).toMatchObject({
      job_id: id,
      queue,
      job_type: "fail",
      attempt: 1,
      failure_category: "network",
      suggested_action: "retry_with_backoff",
      source: "builtin",
      model: null,
      occurrences: 1,
      error: { message: "connect ECONNREFUSED 10.0.0.5:5432" },
    });
    expect(insight.confidence_score).toBeGreaterThan(0.5);
    expect(insight.reasoning).toMatch(/network/);
    expect((await api("GET", `/api/insights/${insight.id}`)).body).toEqual(insight);
    expect((await api("GET", `/api/v1/insights/${insight.id}`)).body).toEqual(insight);
  });

  it("takes Workers AI's validated answer, asking once for failures that share a fingerprint", async () => {
    const queue = uniqueQueue();
    const ai = fakeAi({ kind: "json", value: AI_VERDICT });
    const ids = [await failingJob(queue, "connect ECONNREFUSED 10.0.0.5:5432"), await failingJob(queue, "connect ECONNREFUSED 10.0.0.9:5432")];
    await deliver(queue, { AI: ai.binding, AI_MODEL: "@cf/meta/llama-3.1-8b-instruct" });

    expect(ai.calls).toHaveLength(1);
    const { body } = await api("GET", `/api/v1/insights?queue=${queue}`);
    expect(body.insights).toHaveLength(1);
    expect(body.insights[0]).toMatchObject({ ...AI_VERDICT, source: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct", ai_error: null, occurrences: 2 });
    for (const id of ids) expect((await api("GET", `/api/v1/insights?job_id=${id}`)).body.insights.map((i: { id: string }) => i.id)).toEqual([body.insights[0].id]);
  });

  it("keeps the built-in verdict when Workers AI fails, and never fails or delays the job", async () => {
    const cases = [
      { answer: fakeAi({ kind: "text", text: "Sure! Here is the JSON: {" }), reason: /^malformed JSON/ },
      { answer: fakeAi({ kind: "json", value: { ...AI_VERDICT, suggested_action: "reboot_the_internet" } }), reason: /^answer outside the schema/ },
      { answer: fakeAi({ kind: "throw", message: "AiError: 5007: No such model" }), reason: /No such model/ },
    ];
    for (const { answer, reason } of cases) {
      const queue = uniqueQueue();
      const id = await failingJob(queue, "Your card was declined.", { retryable: false });
      await deliver(queue, { AI: answer.binding });
      expect(answer.calls).toHaveLength(1);
      expect((await api("GET", `/api/v1/jobs/${id}`)).body).toMatchObject({ state: "dead", attempt: 1 });
      const [insight] = (await api("GET", `/api/v1/insights?job_id=${id}`)).body.insights;
      expect(insight).toMatchObject({ failure_category: "bad_input", suggested_action: "fix_payload", source: "builtin", model: "@cf/meta/llama-3.1-8b-instruct" });
      expect(insight.ai_error).toMatch(reason);
    }
  });

  it("analyzes a job on request, answering the insight its failure already has", async () => {
    const queue = uniqueQueue();
    const id = await failingJob(queue, "GET https://api.example.com/users/7 answered 404: not found", { retryable: false });
    await deliver(queue);
    const filed = (await api("GET", `/api/v1/insights?job_id=${id}`)).body.insights[0];

    const again = await api("POST", "/api/insights/analyze", { job_id: id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: filed.id, failure_category: "not_found", suggested_action: "dead_letter" });
  });

  it("analyzes a failed job that has no insight yet, with Workers AI when bound", async () => {
    const queue = uniqueQueue();
    const id = await failingJob(queue, "read ECONNRESET");
    await deliver(queue);
    const filed = (await api("GET", `/api/v1/insights?job_id=${id}`)).body.insights[0];
    await db((d) => d.execute(sql`delete from insights where id = ${filed.id}`));

    const ai = fakeAi({ kind: "json", value: AI_VERDICT });
    const analyzed = await apiWith({ AI: ai.binding }, "POST", "/api/v1/insights/analyze", { job_id: id });
    expect(analyzed.status).toBe(201);
    expect(analyzed.body).toMatchObject({ job_id: id, attempt: 1, ...AI_VERDICT, source: "workers-ai" });
    expect(ai.calls).toHaveLength(1);
  });

  it("answers 404, 409 and 400 for an unknown job, a job with no failure and a bad body", async () => {
    const queue = uniqueQueue();
    const { body } = await api("POST", "/api/v1/jobs", { queue, type: "echo" });
    await deliver(queue);
    expect((await api("POST", "/api/v1/insights/analyze", { job_id: body.id })).body.error.code).toBe("job_not_failed");
    expect((await api("POST", "/api/v1/insights/analyze", { job_id: crypto.randomUUID() })).status).toBe(404);
    expect((await api("POST", "/api/v1/insights/analyze", { jobId: body.id })).status).toBe(400);
    expect((await api("GET", `/api/v1/insights/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await api("GET", "/api/v1/insights/not-a-uuid")).status).toBe(400);
    expect((await api("GET", "/api/v1/insights?category=cosmic")).status).toBe(400);
  });
});
