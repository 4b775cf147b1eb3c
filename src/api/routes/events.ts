import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { LIVE_EVENT_TYPES } from "../../live/events";
import { liveHub } from "../../live/publish";
import type { AppEnv } from "../app-env";
import { tenantOf } from "../auth";
import { ApiError } from "../errors";
import { access, errors } from "../openapi/route-kit";
import { queueNameSchema } from "../schemas/common";

export const EVENTS_PATH = "/api/v1/events";

const splitList = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

const events = createRoute({
  method: "get",
  path: "/",
  tags: ["live events"],
  summary: "Live events over a WebSocket",
  description:
    `Upgrade to a WebSocket to receive \`{"type":"events","events":[…]}\` messages: ${LIVE_EVENT_TYPES.join(", ")}. ` +
    "Browsers, which cannot set headers on a WebSocket, may pass the key as `access_token`. Send `{\"subscribe\":{\"queues\":[…],\"types\":[…]}}` to change the filter; `ping` is answered with `pong`.",
  ...access("read"),
  request: {
    query: z.object({
      queue: z.string().transform(splitList).pipe(z.array(queueNameSchema).max(100)).optional().openapi({ type: "string", description: "Only these queues (comma list)." }),
      type: z.string().transform(splitList).pipe(z.array(z.enum(LIVE_EVENT_TYPES))).optional().openapi({ type: "string", description: "Only these event types (comma list)." }),
      access_token: z.string().optional().openapi({ description: "The API key, for clients that cannot send headers." }),
    }),
  },
  responses: { 101: { description: "Switching to the WebSocket protocol." }, ...errors(400, 426) },
});

export const eventRoutes = new OpenAPIHono<AppEnv>().openapi(events, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "this endpoint speaks WebSocket: send Upgrade: websocket");
  }
  const { queue = [], type = [] } = c.req.valid("query");
  const url = new URL("https://live-hub/subscribe");
  if (queue.length > 0) url.searchParams.set("queue", queue.join(","));
  if (type.length > 0) url.searchParams.set("type", type.join(","));
  const tenant = tenantOf(c);
  if (tenant !== null) url.searchParams.set("tenant", tenant);
  return liveHub(c.env).fetch(new Request(url, { headers: { upgrade: "websocket" } }));
});
