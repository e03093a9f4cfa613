import { NextResponse, type NextRequest } from "next/server";
import { findRequestTargetProblem, type RequestTargetProblem } from "@/server/http/find-request-target-problem";
import {
  createNonce,
  createPageContentSecurityPolicy,
  DATA_CONTENT_SECURITY_POLICY,
  isDataPath,
  SECURITY_HEADERS,
} from "@/server/http/security-headers";

// Not for Next's build files (every JS/CSS chunk of every page): next.config.ts gives them the data policy.
export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };

/**
 * Runs before every route: refuses paths that do not decode and prototype-named query parameters (400), and gives
 * each answer its Content-Security-Policy.
 * A page's policy carries a fresh nonce, also set on the request so that Next stamps it on the scripts it renders.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  const problem = findRequestTargetProblem(request.nextUrl);
  if (problem !== null) return createBadRequestResponse(pathname, problem);

  if (isDataPath(pathname)) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", DATA_CONTENT_SECURITY_POLICY);
    return response;
  }
  const policy = createPageContentSecurityPolicy(createNonce(), { isDevelopment: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

function createBadRequestResponse(pathname: string, problem: RequestTargetProblem): NextResponse {
  const headers = { ...SECURITY_HEADERS, "Content-Security-Policy": DATA_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" };
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const details = problem.parameter === undefined ? {} : { details: [{ parameter: problem.parameter, message: "unknown parameter" }] };
    return NextResponse.json(
      { error: { code: "bad_request", message: problem.message, ...details } },
      { status: 400, headers: { ...headers, "Access-Control-Allow-Origin": "*" } },
    );
  }
  return new NextResponse(`${problem.message}\n`, { status: 400, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}
