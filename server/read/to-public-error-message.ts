/** Longer stored messages are cut: a message describes a failure, it never carries a document. */
import "server-only";

export const PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS = 500;

// C0/C1 controls and bidirectional overrides: nothing a reader needs, and they can disguise text.
// eslint-disable-next-line no-control-regex -- matching control characters is what this expression is for
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** A poll's stored error message as pages and the API show it to anyone. */
export function toPublicErrorMessage(message: string | null): string | null {
  if (message === null) return null;
  const visible = message.replace(HIDDEN_CHARACTERS, " ").replace(/ {2,}/g, " ").trim();
  if (visible.length <= PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS) return visible;
  return `${visible.slice(0, PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS - 1)}…`;
}
