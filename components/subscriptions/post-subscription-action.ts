/** What a subscription endpoint answered: its JSON, or a message to show and the fields it concerns. */
export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; status: number; message: string; problems: { parameter: string; message: string }[] };

interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export async function postSubscriptionAction<T>(url: string, init: { method: "POST" | "PUT"; body: unknown }): Promise<ActionResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { method: init.method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(init.body) });
  } catch {
    return { ok: false, status: 0, message: "The server could not be reached. Check your connection and try again.", problems: [] };
  }
  const body = (await response.json().catch(() => ({}))) as T & ApiErrorBody;
  if (response.ok) return { ok: true, data: body };
  const details = Array.isArray(body.error?.details) ? (body.error.details as { parameter: string; message: string }[]) : [];
  let message = body.error?.message ?? `The server answered ${response.status}.`;
  if (response.status === 429) {
    const minutes = Math.ceil(Number(response.headers.get("retry-after") ?? "60") / 60);
    message = `Too many requests from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  return { ok: false, status: response.status, message, problems: details };
}
