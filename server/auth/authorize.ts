import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";
import { AppError } from "../errors";

const REALM = 'Bearer realm="srcwatch operator actions"';

/** 401 (with the Bearer challenge to send as WWW-Authenticate) or 403. */
export class OperatorAuthorizationError extends AppError {
  constructor(
    httpStatus: 401 | 403,
    message: string,
    readonly challenge: string | null,
  ) {
    super(httpStatus === 401 ? "unauthorized" : "forbidden", message, httpStatus);
  }
}

/** Hashing first gives both sides the same length, so the comparison time says nothing about the token. */
function isSameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The one check of operator actions (creating and expiring silences): `Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>`.
 * Throws OperatorAuthorizationError: 403 when no token is configured, 401 when the header is absent or wrong.
 */
export function authorizeOperator(request: Request): void {
  const expected = getEnv().SRCWATCH_ADMIN_TOKEN;
  if (!expected) throw new OperatorAuthorizationError(403, "operator actions are disabled: set SRCWATCH_ADMIN_TOKEN", null);
  const header = request.headers.get("authorization");
  if (!header) throw new OperatorAuthorizationError(401, "operator actions need an Authorization: Bearer <token> header", REALM);
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match)
    throw new OperatorAuthorizationError(401, "the Authorization header must be Bearer <token>", `${REALM}, error="invalid_request"`);
  if (!isSameSecret(match[1], expected))
    throw new OperatorAuthorizationError(401, "the operator token is not valid", `${REALM}, error="invalid_token"`);
}
