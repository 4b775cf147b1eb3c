import ipaddr from "ipaddr.js";

/** Ranges a request from edgeq may reach: public unicast only. */
const PUBLIC_RANGES = new Set(["unicast"]);
/** Names that resolve to the machine itself or to a private network by convention. */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/i;

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Whether edgeq may send requests to `raw` (webhooks, callbacks, endpoint handlers). Refuses
 * anything but HTTPS, and hosts on loopback, private, link-local or other non-public addresses,
 * unless `allowPrivate` (local development and tests), which also allows plain HTTP. A host name is
 * judged by its name only: Workers cannot resolve DNS before a fetch.
 */
export function checkOutboundTarget(raw: string, allowPrivate: boolean): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return { ok: false, reason: "only https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) {
    let address = ipaddr.parse(host);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
    const range = address.range();
    if (!PUBLIC_RANGES.has(range)) return { ok: false, reason: `${host} is a ${range} address` };
    return { ok: true, url };
  }
  if (!host.includes(".") || PRIVATE_NAME.test(host)) return { ok: false, reason: `${host} names a local or private host` };
  return { ok: true, url };
}

/** EDGEQ_ALLOW_PRIVATE_WEBHOOKS: "true" or "1" lets edgeq call private and loopback addresses. */
export function allowsPrivateTargets(env: { EDGEQ_ALLOW_PRIVATE_WEBHOOKS?: string }): boolean {
  return env.EDGEQ_ALLOW_PRIVATE_WEBHOOKS === "true" || env.EDGEQ_ALLOW_PRIVATE_WEBHOOKS === "1";
}
