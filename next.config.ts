import type { NextConfig } from "next";
import { DATA_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  typedRoutes: false,
  poweredByHeader: false,
  // proxy.ts sees the URL as sent: normalised, it has lost `?__proto__=` (Next parses queries into a plain object).
  skipProxyUrlNormalize: true,
  // The Content-Security-Policy, which differs per answer, is set in proxy.ts, except on Next's build files,
  // which proxy.ts's matcher skips (the proxy would run for every chunk otherwise).
  async headers() {
    const dataPolicy = [{ key: "Content-Security-Policy", value: DATA_CONTENT_SECURITY_POLICY }];
    return [
      { source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
      { source: "/_next/static/:path*", headers: dataPolicy },
      { source: "/_next/image", headers: dataPolicy },
    ];
  },
};

export default nextConfig;
