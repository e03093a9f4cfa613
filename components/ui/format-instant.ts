/** "2023-06-14 10:22 UTC": the same text on the server and in every browser (no locale, no zone). */
export function formatInstant(at: string | Date): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDate(at: string | Date): string {
  return new Date(at).toISOString().slice(0, 10);
}
