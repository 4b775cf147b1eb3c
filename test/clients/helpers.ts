import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { EdgeqClient } from "../../src/client";

export const url = inject("edgeqUrl");
export const adminKey = inject("edgeqAdminKey");

/** A client with the dev stack's admin key unless `key` is given. */
export const client = (key = adminKey, options: { maxRetries?: number } = {}) => new EdgeqClient({ url, key, ...options });

/** A queue name no other test uses. */
export const uniqueQueue = (prefix = "q") => `${prefix}-${randomUUID().slice(0, 8)}`;
