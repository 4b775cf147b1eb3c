import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export interface Message {
  type: string;
  events?: { type: string; queue?: string; queues?: string[]; jobId?: string; batchId?: string }[];
}

/** Opens a real WebSocket to /api/v1/events and collects what it receives. */
export async function connect(query: string) {
  const res = await exports.default.fetch(new Request(`http://edgeq.test/api/v1/events?${query}`, { headers: { upgrade: "websocket" } }));
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const received: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  ws.addEventListener("message", (e) => {
    const m = JSON.parse(e.data as string) as Message;
    received.push(m);
    for (const w of waiters.filter((w) => w.test(m))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  ws.accept();
  /** Resolves with the first message (already received or yet to come) that passes `test`. */
  const next = (test: (m: Message) => boolean) =>
    new Promise<Message>((resolve) => {
      const seen = received.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  const events = () => received.flatMap((m) => m.events ?? []);
  return { ws, next, events };
}
