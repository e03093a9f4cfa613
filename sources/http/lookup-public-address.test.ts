import { describe, expect, it } from "vitest";
import { lookupPublicAddress } from "./lookup-public-address";

function lookup(hostname: string, all: boolean): Promise<{ error: NodeJS.ErrnoException | null; result: unknown }> {
  return new Promise((resolve) => {
    lookupPublicAddress(hostname, { all, family: 0 }, (error: NodeJS.ErrnoException | null, result: unknown) => resolve({ error, result }));
  });
}

describe("lookupPublicAddress", () => {
  it.each([true, false])("refuses a name that resolves to loopback (all: %s)", async (all) => {
    const { error } = await lookup("localhost", all);
    expect(error).toMatchObject({ code: "ERR_FORBIDDEN_DESTINATION", message: "localhost resolves to a non-public address" });
  });

  it("passes on the resolver's own error for a name that does not resolve", async () => {
    const { error } = await lookup("no-such-host.invalid", true);
    expect(error?.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });
});
