import "server-only";

const ID_TEXT = /^[A-Za-z0-9:-]+$/;

/** Advisory and CVE ids are letters, digits, "-" and ":": other text (a LIKE wildcard included) is part of none. */
export function isIdText(text: string): boolean {
  return ID_TEXT.test(text);
}
