import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

/** A `\u0000` escape in JSON text that is not itself an escaped backslash followed by "u0000". */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * Reads a JSON body before the route's zod validator sees it: checks the media type and the size
 * before parsing (an oversized body costs no parse), and answers every malformed case with a 4xx
 * that says what is wrong. The parsed value is left in Hono's body cache for the validator.
 */
export const jsonBody =
  (maxBytes: number): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new ApiError(415, "unsupported_media_type", `send JSON (content-type: application/json), not ${type || "no content-type"}`);
    }
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > maxBytes) throw tooLarge(declared, maxBytes);
    const bytes = await c.req.arrayBuffer();
    if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes);
    const text = new TextDecoder().decode(bytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new ApiError(400, "invalid_json", `request body is not valid JSON: ${(error as Error).message}`);
    }
    if (NUL_ESCAPE.test(text)) {
      throw new ApiError(400, "validation_failed", "request body: strings may not contain the NUL character (\\u0000); Postgres cannot store it");
    }
    c.req.bodyCache.json = body;
    await next();
  };

const tooLarge = (size: number, limit: number) => new ApiError(413, "payload_too_large", `request body is ${size} bytes; the limit is ${limit}`, { limit });
