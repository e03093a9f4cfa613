import { describe, expect, it } from "vitest";
import { createEtag } from "../../app/api/v1/_lib/handle-api-request";
import { prepareFileAnswer } from "../../app/api/v1/_lib/prepare-file-answer";

const PARTS = ["a,b\r\n", "1,2\r\n", "3,4\r\n"];
const FILE = { contentType: "text/csv", fileName: "x.csv" };

/** The parts, counting how often they were produced and whether a run was closed before its end. */
function createProducer() {
  const runs = { started: 0, finished: 0, closedEarly: 0 };
  async function* produce(): AsyncGenerator<string, { parts: number }, undefined> {
    runs.started++;
    let isDone = false;
    try {
      for (const part of PARTS) yield part;
      isDone = true;
      runs.finished++;
      return { parts: PARTS.length };
    } finally {
      if (!isDone) runs.closedEarly++;
    }
  }
  return { produce, runs };
}

describe("prepareFileAnswer", () => {
  it("answers a file it can hold from memory, exactly as read, and names it from what the producer returned", async () => {
    const { produce, runs } = createProducer();
    const answer = await prepareFileAnswer(produce, (summary) => ({ ...FILE, headers: { "X-Parts": String(summary.parts) } }));
    expect(answer.body).toBe(PARTS.join(""));
    expect(answer.file.headers).toEqual({ "X-Parts": "3" });
    expect(runs.started).toBe(1);
  });

  it("streams a larger file, produced again when sent, under a weak ETag of the same bytes", async () => {
    const { produce, runs } = createProducer();
    const answer = await prepareFileAnswer(produce, () => FILE, { maxHeldChars: PARTS[0].length + 1 });
    if (typeof answer.body === "string") throw new Error("expected a streamed body");
    expect(answer.body.etag).toBe(`W/${createEtag(PARTS.join(""))}`);
    expect(runs).toEqual({ started: 1, finished: 1, closedEarly: 0 });
    expect(await new Response(answer.body.open()).text()).toBe(PARTS.join(""));
    expect(runs).toEqual({ started: 2, finished: 2, closedEarly: 0 });
  });

  it("stops producing when the download is cancelled", async () => {
    const { produce, runs } = createProducer();
    const answer = await prepareFileAnswer(produce, () => FILE, { maxHeldChars: 0 });
    if (typeof answer.body === "string") throw new Error("expected a streamed body");
    const reader = answer.body.open().getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(PARTS[0]);
    await reader.cancel();
    expect(runs).toEqual({ started: 2, finished: 1, closedEarly: 1 });
  });

  it("cuts the download when producing it again fails midway, instead of ending it as if it were whole", async () => {
    let run = 0;
    async function* produce(): AsyncGenerator<string, void, undefined> {
      run++;
      yield PARTS[0];
      if (run > 1) throw new Error("the database went away");
      yield PARTS[1];
    }
    const answer = await prepareFileAnswer(produce, () => FILE, { maxHeldChars: 0 });
    if (typeof answer.body === "string") throw new Error("expected a streamed body");
    await expect(new Response(answer.body.open()).text()).rejects.toThrow("the database went away");
  });
});
