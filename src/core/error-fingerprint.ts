/**
 * Groups failures that differ only in ids, numbers, addresses or quoted values: "timeout after
 * 5012 ms calling 10.0.0.7" and "timeout after 4990 ms calling 10.0.0.9" share one fingerprint.
 */
export function normaliseErrorMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
    .replace(/https?:\/\/[^\s"')]+/gi, "<url>")
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, "<ip>")
    .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{16,}\b/gi, "<hex>")
    .replace(/"[^"]*"|'[^']*'/g, "<str>")
    .replace(/\d+(\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

export function errorFingerprint(name: string, message: string): string {
  return `${name}: ${normaliseErrorMessage(message)}`;
}
