import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "../../src/log";

describe("structured logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON object per line with the job's fields and the error", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => lines.push(line));
    log("error", "handler failed", { jobId: "j1", queue: "emails", attempt: 2, requestId: "r1" }, new Error("boom", { cause: new Error("root") }));
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: "error", msg: "handler failed", jobId: "j1", queue: "emails", attempt: 2, requestId: "r1" });
    expect(entry.error).toMatchObject({ name: "Error", message: "boom", cause: { message: "root" } });
    expect(Date.parse(entry.time)).not.toBeNaN();
  });
});
