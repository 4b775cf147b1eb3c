import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, validationError } from "./errors";

/**
 * Reads and validates a JSON body. Checks size before parsing, so an oversized body costs no
 * parse, and answers every malformed case with a 4xx that says what is wrong.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", `send JSON (content-type: application/json), not ${type}`);
  }
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > maxBytes) throw new ApiError(413, "payload_too_large", `request body is ${declared} bytes; the limit is ${maxBytes}`, { limit: maxBytes });
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > maxBytes) {
    throw new ApiError(413, "payload_too_large", `request body is ${bytes.byteLength} bytes; the limit is ${maxBytes}`, { limit: maxBytes });
  }
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
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, "request body");
  return parsed.data;
}

/** A `\u0000` escape in JSON text that is not itself an escaped backslash followed by "u0000". */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/** Validates the query string (first value of each key). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, "query");
  return parsed.data;
}

/** Validates one path parameter. */
export function readParam<S extends z.ZodType>(c: Context, name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.param(name));
  if (!parsed.success) throw validationError(parsed.error, `path parameter ${name}`);
  return parsed.data;
}
