import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./is-same-origin-request";

/** What a route handler sees under Next: request.url from the configured hostname, Host from the browser. */
const URL_SEEN = "http://localhost:3000/api/v1/subscriptions";

function request(headers: Record<string, string>, url = URL_SEEN): Request {
  return new Request(url, { method: "POST", headers });
}

describe("isSameOriginRequest", () => {
  it.each([
    ["the origin of the host it addressed", { host: "srcwatch.lan:3000", origin: "http://srcwatch.lan:3000" }, true],
    ["the origin of request.url (no Host header)", { origin: "http://localhost:3000" }, true],
    [
      "the origin of a proxy's X-Forwarded-Host",
      { host: "127.0.0.1:3000", "x-forwarded-host": "srcwatch.example", origin: "https://srcwatch.example" },
      true,
    ],
    ["a default port written out in Host", { host: "srcwatch.example:443", origin: "https://srcwatch.example" }, true],
    ["another site", { host: "srcwatch.lan:3000", origin: "https://evil.example" }, false],
    ["the same host on another port", { host: "srcwatch.lan:3000", origin: "http://srcwatch.lan:3001" }, false],
    ["a sibling subdomain", { host: "srcwatch.lan:3000", origin: "http://evil.srcwatch.lan:3000" }, false],
    ["an opaque origin (sandboxed frame, data: URL)", { host: "srcwatch.lan:3000", origin: "null" }, false],
    ["garbage", { host: "srcwatch.lan:3000", origin: "not a url" }, false],
    ["no Origin but Sec-Fetch-Site same-origin", { "sec-fetch-site": "same-origin" }, true],
    ["no Origin but Sec-Fetch-Site none (typed by the user)", { "sec-fetch-site": "none" }, true],
    ["no Origin and Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }, false],
    ["no Origin and Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }, false],
    [
      "another site's Origin despite Sec-Fetch-Site same-origin",
      { origin: "https://evil.example", "sec-fetch-site": "same-origin" },
      false,
    ],
    ["neither header", {}, false],
  ])("answers a request with %s: %s", (_case, headers, expected) => {
    expect(isSameOriginRequest(request(headers))).toBe(expected);
  });

  it("takes the configured public URL as our own origin, scheme and all", () => {
    const behindProxy = { host: "127.0.0.1:3000" };
    expect(isSameOriginRequest(request({ ...behindProxy, origin: "https://srcwatch.example" }))).toBe(false);
    expect(
      isSameOriginRequest(request({ ...behindProxy, origin: "https://srcwatch.example" }), { publicUrl: "https://srcwatch.example/" }),
    ).toBe(true);
    expect(
      isSameOriginRequest(request({ ...behindProxy, origin: "http://srcwatch.example" }), { publicUrl: "https://srcwatch.example/" }),
    ).toBe(false);
    expect(
      isSameOriginRequest(request({ ...behindProxy, origin: "https://evil.example" }), { publicUrl: "https://srcwatch.example/" }),
    ).toBe(false);
  });
});
