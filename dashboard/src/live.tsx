import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { LiveEvent } from "./types";

/** Live events from /api/v1/events: a feed for the Overview, and fresh data on every open page. */

const FEED_LENGTH = 50;
/** Events come in bursts; one refetch per burst, well within the half second a change may take. */
const INVALIDATE_AFTER_MS = 50;
const PING_MS = 30_000;

interface Live {
  connected: boolean;
  feed: LiveEvent[];
  paused: boolean;
  /** Events that arrived while the feed was paused (not shown). */
  missed: number;
  setPaused: (paused: boolean) => void;
}

const LiveContext = createContext<Live>({ connected: false, feed: [], paused: false, missed: 0, setPaused: () => undefined });
export const useLive = () => useContext(LiveContext);

/** Which cached queries an event makes stale. */
function staleKeys(event: LiveEvent): string[] {
  if (event.type === "queue.backlog") return ["queues", "overview"];
  if (event.type === "worker.batch") return ["throughput"];
  if (event.type === "worker.joined" || event.type === "worker.left") return ["workers"];
  return ["jobs", "job", "dlq", "queues", "overview", "throughput", "workers", "running"];
}

export function LiveProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  const [paused, setPausedState] = useState(false);
  const [missed, setMissed] = useState(0);
  const setPaused = (next: boolean) => {
    setPausedState(next);
    setMissed(0);
  };
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    let socket: WebSocket | null = null;
    let closed = false;
    let retryMs = 1000;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pingTimer: ReturnType<typeof setInterval> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const stale = new Set<string>();

    const flush = () => {
      flushTimer = undefined;
      for (const key of stale) void queryClient.invalidateQueries({ queryKey: [key] });
      stale.clear();
    };

    const connect = () => {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/api/v1/events?access_token=${encodeURIComponent(apiKey)}`);
      socket.onopen = () => {
        retryMs = 1000;
        setConnected(true);
        pingTimer = setInterval(() => socket?.send("ping"), PING_MS);
      };
      socket.onmessage = (message) => {
        if (typeof message.data !== "string" || message.data === "pong") return;
        const data = JSON.parse(message.data) as { type: string; events?: LiveEvent[] };
        if (data.type !== "events" || !data.events) return;
        for (const event of data.events) for (const key of staleKeys(event)) stale.add(key);
        flushTimer ??= setTimeout(flush, INVALIDATE_AFTER_MS);
        const shown = data.events.filter((e) => e.type !== "queue.backlog");
        if (shown.length === 0) return;
        if (pausedRef.current) setMissed((n) => n + shown.length);
        else setFeed((old) => [...shown.reverse(), ...old].slice(0, FEED_LENGTH));
      };
      socket.onclose = () => {
        setConnected(false);
        clearInterval(pingTimer);
        if (closed) return;
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
      clearInterval(pingTimer);
      socket?.close();
    };
  }, [apiKey, queryClient]);

  return <LiveContext.Provider value={{ connected, feed, paused, missed, setPaused }}>{children}</LiveContext.Provider>;
}
