import { describe, expect, it } from "vitest";
import { throttle } from "../../src/core/throttle";

describe("the backlog events' throttle", () => {
  it("publishes at once when the last publish is an interval old", () => {
    expect(throttle(0, 1000, 250, false)).toEqual({ now: true });
    expect(throttle(1000, 1250, 250, false)).toEqual({ now: true });
  });

  it("inside the interval, sets one trailer for its end, and no second one", () => {
    expect(throttle(1000, 1100, 250, false)).toEqual({ now: false, trailerInMs: 150 });
    expect(throttle(1000, 1200, 250, true)).toEqual({ now: false, trailerInMs: null });
  });

  it("lets a trailer that fires at the interval's end publish", () => {
    // The trailer set at 1100 fires at 1250 and calls again with no trailer pending.
    expect(throttle(1000, 1250, 250, false)).toEqual({ now: true });
  });
});
