import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  typedRoutes: false,
  poweredByHeader: false,
  // proxy.ts sees the URL as sent: normalised, it has lost `?__proto__=` (Next parses queries into a plain object).
  skipProxyUrlNormalize: true,
  // The Content-Security-Policy, which differs per answer, is set in proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
