import "server-only";

import { AppError } from "../errors";

/** A forged, expired, superseded or misused (other purpose) subscription link. */
export class InvalidSubscriptionTokenError extends AppError {
  constructor() {
    super("invalid_token", "This link is not valid or has expired. Subscribe again to get a new one.", 403);
  }
}

export class EmailNotConfiguredError extends AppError {
  constructor() {
    super("email_not_configured", "email notifications are not configured on this server", 503);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("too_many_requests", message, 429, { retryAfterSeconds });
  }
}
