import { describe, expect, it } from "vitest";
import { createUndiciTransport, describeTransportCause } from "@/lib/stepauth";

/** The error a real transport throws for `url`. */
async function failureOf(url: string): Promise<unknown> {
  const send = createUndiciTransport();
  return send({
    url,
    body: "{}",
    headers: { "content-type": "application/json" },
    signal: AbortSignal.timeout(5_000),
  }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe("describeTransportCause", () => {
  it("names a refused connection from the real transport's cause chain", async () => {
    const cause = describeTransportCause(await failureOf("http://127.0.0.1:1/stepauth"));
    expect(cause).toMatch(/^connection refused \(ECONNREFUSED\): /);
  });

  it("labels TLS failures and keeps unknown codes and plain messages", () => {
    const tls = Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(describeTransportCause(new TypeError("fetch failed", { cause: tls }))).toBe(
      "TLS (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate",
    );
    const odd = Object.assign(new Error("strange"), { code: "EWHATEVER" });
    expect(describeTransportCause(new Error("outer", { cause: odd }))).toBe("EWHATEVER: strange");
    expect(describeTransportCause(new Error("just a message"))).toBe("just a message");
    expect(describeTransportCause("not an error")).toBeUndefined();
  });
});
