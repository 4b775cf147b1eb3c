import { afterEach, describe, expect, it, vi } from "vitest";
import { HandlerRegistry } from "../../src/handlers/handler-registry";
import { JobError, JobTimeout } from "../../src/handlers/job-error";
import { logging, mapErrors, timeout, timing } from "../../src/handlers/middleware/builtin";
import type { HandlerMiddleware } from "../../src/handlers/middleware/compose";
import type { HandlerContext } from "../../src/handlers/types";

function context(log: (m: string) => void = () => undefined): HandlerContext {
  return {
    payload: { n: 1 },
    job: { id: "j1", queue: "q", type: "t", attempt: 2, maxAttempts: 3, tags: [], createdAt: new Date(0) },
    signal: new AbortController().signal,
    log,
  };
}

/** Records when it runs, before and after the rest of the chain. */
const trace = (name: string, seen: string[]): HandlerMiddleware => async (_ctx, next) => {
  seen.push(`${name}:before`);
  const result = await next();
  seen.push(`${name}:after`);
  return result;
};

/** Runs a type's composed handler once, always as a promise. */
const run = (registry: HandlerRegistry, type: string, ctx: HandlerContext) => Promise.resolve(registry.get(type)!(ctx));

afterEach(() => vi.useRealTimers());

describe("handler middleware", () => {
  it("wraps handlers like an onion: global middleware outside per-type, each in the order used", async () => {
    const seen: string[] = [];
    const registry = new HandlerRegistry()
      .set("t", () => {
        seen.push("handler");
        return "done";
      })
      .use("t", trace("type", seen))
      .use("*", trace("global1", seen), trace("global2", seen))
      .use("other", trace("other", seen));
    expect(await registry.get("t")!(context())).toBe("done");
    expect(seen).toEqual(["global1:before", "global2:before", "type:before", "handler", "type:after", "global2:after", "global1:after"]);
    expect(registry.get("missing")).toBeUndefined();
  });

  it("lets a middleware answer in the handler's place, and refuses next() twice", async () => {
    const handler = vi.fn(() => "handler");
    const cached = new HandlerRegistry().set("t", handler).use("t", async () => "from cache");
    expect(await cached.get("t")!(context())).toBe("from cache");
    expect(handler).not.toHaveBeenCalled();
    const twice = new HandlerRegistry().set("t", handler).use("t", async (_c, next) => [await next(), await next()]);
    await expect(twice.get("t")!(context())).rejects.toThrow(/next\(\) twice/);
  });

  it("composes again after a change", async () => {
    const registry = new HandlerRegistry().set("t", () => 1);
    expect(await registry.get("t")!(context())).toBe(1);
    registry.use("t", async (_c, next) => (await next()) as number + 1);
    expect(await registry.get("t")!(context())).toBe(2);
  });

  it("maps errors to what edgeq should do with them", async () => {
    const registry = new HandlerRegistry()
      .set("t", () => {
        throw Object.assign(new Error("Not Found"), { status: 404 });
      })
      .use("t", mapErrors((e) => ((e as { status?: number }).status === 404 ? new JobError("the order is gone", { retryable: false, code: "http_404" }) : undefined)));
    const thrown = await run(registry, "t", context()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(JobError);
    expect(thrown).toMatchObject({ retryable: false, code: "http_404" });

    const untouched = new HandlerRegistry().set("t", () => Promise.reject(new TypeError("boom"))).use("t", mapErrors(() => undefined));
    await expect(untouched.get("t")!(context())).rejects.toBeInstanceOf(TypeError);
  });

  it("logs and times each attempt, success or failure", async () => {
    const lines: string[] = [];
    const times: [number, boolean][] = [];
    const registry = new HandlerRegistry()
      .set("ok", () => "fine")
      .set("bad", () => {
        throw new Error("nope");
      })
      .use("*", logging(), timing((ms, ok) => times.push([ms, ok])));
    await registry.get("ok")!(context((m) => lines.push(m)));
    await run(registry, "bad", context((m) => lines.push(m))).catch(() => undefined);
    expect(lines[0]).toBe("attempt 2 of 3 started");
    expect(lines[1]).toMatch(/^attempt 2 completed in \d+ ms$/);
    expect(lines[3]).toMatch(/^attempt 2 failed in \d+ ms: nope$/);
    expect(times.map(([ms, ok]) => [ms >= 0, ok])).toEqual([
      [true, true],
      [true, false],
    ]);
  });

  it("cuts an attempt short with a timeout and aborts the signal the handler sees", async () => {
    vi.useFakeTimers();
    let seenSignal: AbortSignal | undefined;
    const registry = new HandlerRegistry()
      .set("slow", ({ signal }) => {
        seenSignal = signal;
        return new Promise(() => undefined);
      })
      .set("quick", () => "in time")
      .use("*", timeout(1000));
    const ctx = context();
    const attempt = run(registry, "slow", ctx).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(seenSignal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await attempt;
    expect(error).toBeInstanceOf(JobTimeout);
    expect(seenSignal!.aborted).toBe(true);
    // The context's own signal is back in place for outer middleware.
    expect(ctx.signal).not.toBe(seenSignal);
    expect(await registry.get("quick")!(context())).toBe("in time");
  });

  it("passes the job's own abort through to the handler under a timeout middleware", async () => {
    const outer = new AbortController();
    let inner: AbortSignal | undefined;
    const registry = new HandlerRegistry()
      .set("t", ({ signal }) => {
        inner = signal;
        return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      })
      .use("t", timeout(60_000));
    const attempt = run(registry, "t", { ...context(), signal: outer.signal }).catch((e: unknown) => e);
    await Promise.resolve();
    outer.abort(new Error("job timeout"));
    expect(((await attempt) as Error).message).toBe("job timeout");
    expect(inner!.aborted).toBe(true);
  });
});
