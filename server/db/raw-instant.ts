/** A DateTime column as a raw query returns it: Date (PostgreSQL) or stored text / epoch milliseconds (SQLite). */
import "server-only";

export type RawInstant = Date | string | number | bigint;

export function toDate(value: RawInstant): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" && !/^\d+$/.test(value)) return new Date(value);
  return new Date(Number(value));
}
