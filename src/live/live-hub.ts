import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { wants, type LiveEvent, type Subscription } from "./events";

/**
 * Fans live events out to dashboards over WebSockets. It uses the hibernation API, so idle
 * connections cost nothing and survive the object being evicted: each socket's subscription is
 * kept as its attachment. One hub serves the whole deployment ("global").
 */
export class LiveHub extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alives are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts a WebSocket upgrade; `queue` and `type` query parameters (comma lists) filter it; `tenant` (set by the API from the key, never by the client) scopes it. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const list = (name: string) => (url.searchParams.get(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const subscription: Subscription = { tenant: url.searchParams.get("tenant"), queues: list("queue"), types: list("type") };
    server.serializeAttachment(subscription);
    server.send(JSON.stringify({ type: "hello", subscription }));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends each subscriber the events it asked for, in one message per subscriber. */
  async publish(events: LiveEvent[]): Promise<number> {
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const mine = events.filter((e) => wants(ws.deserializeAttachment() as Subscription, e));
      if (mine.length === 0) continue;
      try {
        ws.send(JSON.stringify({ type: "events", events: mine }));
        sent++;
      } catch {
        // A socket closing under us: its close handler tidies up.
      }
    }
    return sent;
  }

  /** A subscriber may change its filter: `{"subscribe": {"queues": [...], "types": [...]}}`. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const parsed = JSON.parse(typeof message === "string" ? message : new TextDecoder().decode(message)) as { subscribe?: Partial<Subscription> };
      const s = parsed.subscribe;
      if (!s) return;
      const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, 100) : []);
      // The tenant stays the key's: a subscriber can narrow its filter, never widen whose events it hears.
      const subscription: Subscription = { tenant: (ws.deserializeAttachment() as Subscription).tenant, queues: strings(s.queues), types: strings(s.types) };
      ws.serializeAttachment(subscription);
      ws.send(JSON.stringify({ type: "subscribed", subscription }));
    } catch {
      ws.send(JSON.stringify({ type: "error", message: 'send {"subscribe": {"queues": [...], "types": [...]}} as JSON' }));
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 ? 1000 : code, "closing");
  }
}
