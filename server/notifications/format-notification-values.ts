/** 30 → "30 h", 75 → "3 d 3 h" */
export function formatHours(hours: number): string {
  const rounded = Math.max(0, Math.round(hours));
  if (rounded < 48) return `${rounded} h`;
  const days = Math.floor(rounded / 24);
  const rest = rounded % 24;
  return rest === 0 ? `${days} d` : `${days} d ${rest} h`;
}

export function trimOrigin(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, "");
}
