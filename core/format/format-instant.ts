/** "2023-06-14 10:22 UTC": the same text on the server and in every browser (no locale, no zone). */
export function formatInstant(at: string | Date): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDate(at: string | Date): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** "2023-06-14 12:22 CEST" in the given (the viewer's) time zone; `dateOnly` drops the time. */
export function formatLocalInstant(at: string | Date, timeZone: string, dateOnly = false): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    ...(dateOnly ? {} : { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }),
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((entry) => entry.type === type)?.value ?? "";
  const date = `${part("year")}-${part("month")}-${part("day")}`;
  return dateOnly ? date : `${date} ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}
