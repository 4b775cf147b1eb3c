/**
 * Embedded Postgres: PGlite (Postgres compiled to WebAssembly) served on a TCP port, so anything that
 * speaks the wire protocol (the Neon driver through the WebSocket bridge, psql, drizzle-kit) can use
 * it. No install, no Docker, no network.
 *
 * PGlite is one Postgres session. `@electric-sql/pglite-socket` frames each client's messages
 * (`PGLiteSocketHandler`), but its `PGLiteSocketServer` schedules them onto that session one message
 * at a time and only keeps a client's messages together inside an explicit transaction. An
 * extended-protocol cycle (Parse, Bind, Describe, Execute, Sync) is not a transaction block, so when
 * a message arrives split across TCP reads, another client's Parse lands between this client's Parse
 * and Bind and replaces the unnamed statement: wrong rows or bind errors (reproduced here with a
 * 300 kB parameter; upstream electric-sql/pglite#1046). A failing message also leaves its queue stuck
 * for good, and a client's Terminate never closes its connection, which the Neon driver waits for.
 * So this module keeps pglite-socket's handler and puts a correct scheduler and a small server
 * around it.
 */
import { mkdir } from "node:fs/promises";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Directory that persists the database; omitted means in memory, gone at close. */
  dataDir?: string;
  /** TCP port; 0 (the default) picks a free one. 5432 is refused so a real Postgres is never shadowed. */
  port?: number;
}

/** A running embedded Postgres. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** Closes every connection, then shuts PGlite down cleanly (flushing a persisted data directory). */
  close(): Promise<void>;
}

interface PendingMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/** ReadyForQuery is `Z`, length 5, then the transaction status: I (idle), T (in block), E (failed block). */
const READY_FOR_QUERY = [0x5a, 0, 0, 0, 5];
const STATUS_IDLE = 0x49;
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]);
const TERMINATE = 0x58;

/**
 * Gives the single PGlite session to one client at a time, for whole protocol cycles.
 *
 * A client owns the session from its first message until the backend answers ReadyForQuery with
 * status idle: that covers a startup, a simple query, an extended-protocol cycle up to its Sync, and
 * an explicit transaction up to COMMIT or ROLLBACK. Other clients' messages wait, in arrival order.
 * A client that disconnects while owning the session has its cycle ended and its transaction rolled
 * back, so nobody inherits half of it.
 */
class SessionScheduler {
  private readonly queue: PendingMessage[] = [];
  private readonly detached = new Set<number>();
  private owner: number | null = null;
  private running = false;
  private readonly idleWaiters: Array<() => void> = [];

  /**
   * @param onTerminate closes the client's connection. A Postgres server hangs up after Terminate,
   *   and the Neon driver relies on that: its `end()` never closes the WebSocket itself, it waits for
   *   the server (through the bridge) to close it.
   */
  constructor(
    private readonly db: PGlite,
    private readonly onTerminate: (handlerId: number) => void,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const pending = this.queue[i]!;
      if (pending.handlerId !== handlerId) continue;
      this.queue.splice(i, 1);
      pending.reject(new Error("Handler disconnected"));
    }
  }

  /**
   * Called by the handler on detach. Resolves once the scheduler is idle, so a caller that closes the
   * database afterwards never cuts a message or a rollback short. Never rejects: the handler does not
   * always await it.
   */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.detached.add(handlerId);
    void this.pump();
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /**
   * Runs queued messages until none can run. The loop re-reads the queue after every await and
   * clears `running` in the same synchronous step as finding it empty, so a message queued at any
   * moment is either seen by this loop or starts the next one.
   */
  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.owner !== null && this.detached.has(this.owner)) await this.releaseAbandoned();
        const next = this.takeNext();
        if (!next) break;
        await this.execute(next);
      }
      // A detached client can no longer queue messages, so it cannot become the owner later.
      this.detached.clear();
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** The owner's next message, or the oldest message when nobody owns the session. */
  private takeNext(): PendingMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((pending) => pending.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async execute(pending: PendingMessage): Promise<void> {
    if (pending.message[0] === TERMINATE) {
      // Terminate concerns the connection, not the shared session, so PGlite never sees it.
      pending.resolve(0);
      this.onTerminate(pending.handlerId);
      return;
    }
    const tail = new Uint8Array(READY_FOR_QUERY.length + 1);
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(pending.message, {
          onRawData: (data) => {
            keepTail(tail, data);
            bytes += data.length;
            pending.onData(data);
          },
        }),
      );
    } catch (error) {
      // The session state is unknown now; keep it owned so the handler's detach resets it.
      this.owner = pending.handlerId;
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.owner = endsWithIdleReadyForQuery(tail, bytes) ? null : pending.handlerId;
    pending.resolve(bytes);
  }

  /** Ends the abandoned owner's protocol cycle and transaction so the next client starts clean. */
  private async releaseAbandoned(): Promise<void> {
    try {
      await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC_MESSAGE));
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch (error) {
      console.error("[embedded-postgres] could not reset the session after a client left:", error);
    }
    this.owner = null;
  }
}

/** Keeps the last `tail.length` bytes of the output stream in `tail`, oldest first. */
function keepTail(tail: Uint8Array, data: Uint8Array): void {
  if (data.length >= tail.length) {
    tail.set(data.subarray(data.length - tail.length));
    return;
  }
  tail.copyWithin(0, data.length);
  tail.set(data, tail.length - data.length);
}

/** Only ReadyForQuery ends a response with `Z 0 0 0 5` plus a status byte, so the tail is decisive. */
function endsWithIdleReadyForQuery(tail: Uint8Array, bytes: number): boolean {
  if (bytes < tail.length) return false;
  const isReadyForQuery = READY_FOR_QUERY.every((byte, i) => tail[i] === byte);
  return isReadyForQuery && tail[READY_FOR_QUERY.length] === STATUS_IDLE;
}

/** Starts PGlite and its TCP server; resolves once it accepts connections. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const requestedPort = options.port ?? 0;
  if (requestedPort === 5432) {
    throw new Error("Embedded Postgres refuses port 5432, which belongs to a real PostgreSQL");
  }
  // Listen before opening the data directory: a second `npm run dev` then fails on the busy port
  // instead of opening the same files from two processes. Connections before PGlite is up are dropped.
  let queryQueue: PGLiteSocketHandlerOptions["queryQueue"] | undefined;
  const handlers = new Map<number, PGLiteSocketHandler>();
  const server = createServer((socket: Socket) => {
    if (!queryQueue) return void socket.destroy();
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.set(handler.handlerId, handler);
    const forget = (): void => void handlers.delete(handler.handlerId);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  let db: PGlite;
  try {
    if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
    db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  } catch (error) {
    server.close();
    throw error;
  }
  // Detaching removes the handler's socket listeners, so it emits no "close": forget it here.
  const hangUp = (handlerId: number): void => {
    const handler = handlers.get(handlerId);
    handlers.delete(handlerId);
    void handler?.detach(true);
  };
  // The handler's option is typed as pglite-socket's unexported queue class, whose three methods
  // (enqueue, clearQueueForHandler, clearTransactionIfNeeded) are all the handler calls.
  queryQueue = new SessionScheduler(db, hangUp) as unknown as PGLiteSocketHandlerOptions["queryQueue"];
  const port = (server.address() as AddressInfo).port;

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers.values()].map((handler) => handler.detach(true)));
      await closed;
      await db.close();
    },
  };
}
