import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, trustedProxyHops } from "@/lib/net/client-address";
import { addressBucket } from "@/lib/auth/login-throttle";

const hopsBefore = process.env.TRUSTED_PROXY_HOPS;
afterEach(() => {
  if (hopsBefore === undefined) delete process.env.TRUSTED_PROXY_HOPS;
  else process.env.TRUSTED_PROXY_HOPS = hopsBefore;
});

const xff = (value: string) => new Headers({ "x-forwarded-for": value, "x-real-ip": "6.6.6.6" });

describe("clientAddress", () => {
  it("ignores forwarded headers with no trusted proxy hops (the default)", () => {
    delete process.env.TRUSTED_PROXY_HOPS;
    expect(trustedProxyHops()).toBe(0);
    for (const forged of ["1.1.1.1", "2.2.2.2, 3.3.3.3"]) {
      expect(clientAddress(xff(forged), "192.0.2.9")).toBe("192.0.2.9");
      expect(clientAddress(xff(forged))).toBeNull();
    }
    expect(clientAddress(new Headers(), "::ffff:192.0.2.9")).toBe("192.0.2.9");
  });

  it("takes the entry the trusted proxies appended, never the client's own claims", () => {
    process.env.TRUSTED_PROXY_HOPS = "1";
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7"), "10.0.0.2")).toBe("203.0.113.7");
    expect(clientAddress(xff("203.0.113.7"))).toBe("203.0.113.7");
    process.env.TRUSTED_PROXY_HOPS = "2";
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7, 10.0.0.3"))).toBe("203.0.113.7");
    expect(clientAddress(new Headers(), "10.0.0.2")).toBe("10.0.0.2");
    expect(clientAddress(xff("6.6.6.6, not-an-address, 10.0.0.3"))).toBeNull();
  });

  it("refuses an invalid TRUSTED_PROXY_HOPS, naming it, rather than guess", () => {
    for (const bad of ["-1", "one", "1.5", "99"]) {
      process.env.TRUSTED_PROXY_HOPS = bad;
      expect(() => trustedProxyHops()).toThrow(/TRUSTED_PROXY_HOPS/);
    }
  });

  it("limits IPv6 clients per /64", () => {
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("192.0.2.1")).toBe("192.0.2.1");
  });
});
