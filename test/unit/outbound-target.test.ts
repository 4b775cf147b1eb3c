import { describe, expect, it } from "vitest";
import { checkOutboundTarget } from "../../src/core/outbound-target";

describe("outbound targets", () => {
  it.each([
    "http://example.com/hook",
    "https://127.0.0.1/hook",
    "https://10.1.2.3/",
    "https://172.16.0.1/",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://0.0.0.0/",
    "https://100.64.0.1/",
    "https://localhost/",
    "https://api.localhost/",
    "https://printer.local/",
    "https://intranet/",
    "https://user:pw@example.com/",
    "ftp://example.com/",
    "not a url",
  ])("refuses %s", (url) => {
    expect(checkOutboundTarget(url, false).ok).toBe(false);
  });

  it.each(["https://example.com/hook", "https://8.8.8.8/", "https://[2606:4700::1111]/x"])("accepts %s", (url) => {
    expect(checkOutboundTarget(url, false).ok).toBe(true);
  });

  it("allows loopback and plain http when private targets are allowed, never other schemes", () => {
    expect(checkOutboundTarget("http://127.0.0.1:8080/x", true).ok).toBe(true);
    expect(checkOutboundTarget("ftp://127.0.0.1/x", true).ok).toBe(false);
  });
});
