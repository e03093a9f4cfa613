/** The few typed errors of srcwatch, mapped to HTTP once (app/api/v1/_lib). */
import "server-only";

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message, 404);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super("bad_request", message, 400, details);
  }
}

export class ConfigError extends AppError {
  constructor(message: string, details?: unknown) {
    super("config_invalid", message, 500, details);
  }
}
