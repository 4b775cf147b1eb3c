import { describe, expect, it } from "vitest";
import { delaySchema, parseDuration } from "../../src/core/duration";
import { prioritySchema } from "../../src/core/priority";

describe("prioritySchema", () => {
  it("accepts 0–10 and the named levels", () => {
    expect([0, 10, "critical", "high", "default", "medium", "low"].map((p) => prioritySchema.parse(p))).toEqual([0, 10, 10, 8, 5, 5, 2]);
  });

  it("rejects 11, -1, fractions and unknown names", () => {
    for (const bad of [11, -1, 2.5, "urgent", null]) expect(prioritySchema.safeParse(bad).success).toBe(false);
  });
});

describe("delays", () => {
  it("reads numbers as seconds and strings as durations", () => {
    expect(delaySchema.parse(30)).toBe(30_000);
    expect(delaySchema.parse(0.5)).toBe(500);
    expect(delaySchema.parse("250ms")).toBe(250);
    expect(delaySchema.parse("5m")).toBe(300_000);
    expect(parseDuration("2h")).toBe(7_200_000);
  });

  it("rejects negative delays and unreadable strings", () => {
    expect(delaySchema.safeParse(-1).success).toBe(false);
    expect(delaySchema.safeParse("soon").success).toBe(false);
    expect(parseDuration("5 parsecs")).toBeNull();
  });
});
