import { describe, expect, it } from "vitest";
import { MAX_JOBS_PER_MESSAGE, packLeases } from "../../src/core/pack-leases";

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("packing leased jobs into queue messages", () => {
  it("sends one job per message while a dispatch fits in 100 messages", () => {
    expect(packLeases(ids(100)).map((m) => m.length)).toEqual(Array(100).fill(1));
    expect(packLeases([])).toEqual([]);
  });

  it("packs just enough per message to stay within 100 messages, keeping lease order", () => {
    const messages = packLeases(ids(250));
    expect(messages).toHaveLength(84);
    expect(messages[0]).toEqual([0, 1, 2]);
    expect(messages.flat()).toEqual(ids(250));
  });

  it("never packs more than the cap, so a huge dispatch takes several sends", () => {
    const messages = packLeases(ids(5000));
    expect(Math.max(...messages.map((m) => m.length))).toBe(MAX_JOBS_PER_MESSAGE);
    expect(messages).toHaveLength(500);
    expect(messages.flat()).toEqual(ids(5000));
  });
});
