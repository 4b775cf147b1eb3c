import { Webhook } from "standardwebhooks";

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The three Standard Webhooks headers for `body`: `webhook-id` (the same on every try of one
 * message, so receivers can drop duplicates), `webhook-timestamp` (this try, in seconds) and
 * `webhook-signature` (`v1,` and the HMAC-SHA256 of `id.timestamp.body`).
 */
export function signatureHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, at, body),
  };
}
