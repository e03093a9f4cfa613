import "server-only";

export function trimOrigin(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, "");
}
