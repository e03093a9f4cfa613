import { z } from "zod";

/** Building blocks of the API's shapes. Instants are ISO strings. */
export const Instant = z.iso.datetime();
export const Seconds = z.number().int();

/** `a,b` or repeated parameters → a list. */
export const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.split(",") : value),
    z.array(z.preprocess((part) => (typeof part === "string" ? part.trim() : part), item)).min(1),
  );
