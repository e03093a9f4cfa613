import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The project's own eslint.config.mjs on a file that does not exist, at a realistic path. */
let eslint: ESLint;
async function lintAt(relativePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relativePath) });
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}
const rulesOf = (messages: { ruleId: string | null }[]) => messages.map((message) => message.ruleId);

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

describe("the layers of ARCHITECTURE.md", () => {
  it("refuses a component that imports the database through the @/ alias", async () => {
    const messages = await lintAt(
      "components/x/x-panel.tsx",
      'import { createDb } from "@/server/db/client";\nexport const x = createDb;\n',
    );
    expect(messages).toContainEqual({
      ruleId: "boundaries/dependencies",
      message: expect.stringContaining("components must not import server"),
    });
  });

  it("refuses a core rule that imports server state", async () => {
    const messages = await lintAt("core/x.ts", 'import { createDb } from "../server/db/client";\nexport const x = createDb;\n');
    expect(messages).toContainEqual({ ruleId: "boundaries/dependencies", message: expect.stringContaining("core must not import server") });
  });

  it("refuses a server module that fetches through sources", async () => {
    const code =
      'import "server-only";\n\nimport { createHttpClient } from "../sources/http/create-http-client";\nexport const x = createHttpClient;\n';
    expect(rulesOf(await lintAt("server/x.ts", code))).toEqual(["boundaries/dependencies"]);
  });

  it("refuses a journey that reads the database instead of the product", async () => {
    const messages = await lintAt("e2e/x.spec.ts", 'import { createDb } from "../server/db/client";\nexport const x = createDb;\n');
    expect(rulesOf(messages)).toContain("boundaries/dependencies");
  });

  it("refuses a simulator replica that borrows our parsers", async () => {
    const messages = await lintAt(
      "simulator/x/x-replica.ts",
      'import { parseRepomd } from "../../sources/yum-repo/parse-repomd";\nexport const x = parseRepomd;\n',
    );
    expect(rulesOf(messages)).toContain("boundaries/dependencies");
  });

  it("lets each layer import what lies below it", async () => {
    const page =
      'import { Instant } from "@/components/ui/instant";\nimport { createDb } from "@/server/db/client";\nimport { parseNevra } from "@/core/nevra";\nexport const x = [Instant, createDb, parseNevra];\n';
    expect(await lintAt("app/x/page.tsx", page)).toEqual([]);
    const job =
      'import { createDb } from "../server/db/client";\nimport { createHttpClient } from "../sources/http/create-http-client";\nexport const x = [createDb, createHttpClient];\n';
    expect(await lintAt("worker/x.ts", job)).toEqual([]);
  });

  it("lets a test next to the code import anything", async () => {
    const messages = await lintAt("core/x.test.ts", 'import { createDb } from "../server/db/client";\nexport const x = createDb;\n');
    expect(messages).toEqual([]);
  });
});

describe("server-only", () => {
  it("requires a server module to start with the server-only import", async () => {
    expect(
      rulesOf(await lintAt("server/x/read-x.ts", 'import { parseNevra } from "../../core/nevra";\nexport const x = parseNevra;\n')),
    ).toEqual(["srcwatch/require-server-only"]);
    expect(
      await lintAt(
        "server/x/read-x.ts",
        'import "server-only";\n\nimport { parseNevra } from "../../core/nevra";\nexport const x = parseNevra;\n',
      ),
    ).toEqual([]);
  });

  it("refuses server-only where the browser or plain Node imports the module", async () => {
    for (const file of ["components/x.tsx", "core/x.ts", "contract/x.ts"]) {
      expect(rulesOf(await lintAt(file, 'import "server-only";\n\nexport const x = 1;\n'))).toEqual(["no-restricted-imports"]);
    }
  });
});
