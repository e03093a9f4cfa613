// The layers of ARCHITECTURE.md, enforced: `npm run lint` (part of `npm test`). test/lint/layers.test.ts proves a breach fails.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import prettier from "eslint-config-prettier/flat";
import boundaries from "eslint-plugin-boundaries";
import tseslint from "typescript-eslint";

const TEST_FILES = ["**/*.test.{ts,tsx}", "**/*.bench.ts"];

// No published rule requires a given first import, so a small one: Next refuses to bundle a module that imports
// "server-only" into the browser, which keeps the database, config and clock out of client components.
const requireServerOnly = {
  meta: {
    type: "problem",
    docs: { description: 'Require `import "server-only";` as the first statement of a server module' },
    fixable: "code",
    schema: [],
    messages: { missing: 'A server module starts with `import "server-only";` (Next then refuses to bundle it for the browser).' },
  },
  create(context) {
    return {
      Program(program) {
        const first = program.body[0];
        if (first?.type === "ImportDeclaration" && first.source.value === "server-only" && first.specifiers.length === 0) return;
        context.report({
          node: first ?? program,
          messageId: "missing",
          fix: (fixer) =>
            first
              ? fixer.insertTextBefore(first, 'import "server-only";\n\n')
              : fixer.insertTextBeforeRange([0, 0], 'import "server-only";\n'),
        });
      },
    };
  },
};

/** Each layer and what it may import (besides packages). Tests next to the code may import anything. */
const LAYERS = {
  core: ["core"],
  contract: ["contract", "core"],
  sources: ["sources", "core"],
  server: ["server", "contract", "core", "prisma-client"],
  // prisma/migrate.ts: the worker applies pending migrations before its first poll.
  worker: ["worker", "server", "sources", "contract", "core", "prisma"],
  components: ["components", "contract", "core"],
  app: ["app", "components", "server", "contract", "core"],
  // A replica of the outside world: it shares only the vocabulary, never our parsers or our state.
  simulator: ["simulator", "core"],
  prisma: ["prisma", "prisma-client", "server", "core"],
  scripts: ["scripts", "simulator", "worker", "server", "sources", "contract", "core", "prisma"],
  // scripts: the bench starts the production web server as npm start does (its flags, its build check).
  bench: ["bench", "scripts", "test", "simulator", "worker", "server", "sources", "contract", "core", "prisma", "prisma-client"],
  // Journeys drive the product from outside: through the browser, the simulator and the mail it caught.
  e2e: ["e2e", "test", "simulator", "contract", "core"],
  test: ["*"],
  // proxy.ts and next.config.ts run on the server side of Next.
  proxy: ["server", "contract", "core"],
  // instrumentation-client.ts runs in the browser.
  "client-entry": ["components", "contract", "core"],
};

export default defineConfig([
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "prisma/generated/**",
    "test-results/**",
    "playwright-report/**",
    "reports/**",
    "data/**",
    "next-env.d.ts",
  ]),
  js.configs.recommended,
  ...nextCoreWebVitals,
  ...tseslint.configs.recommended,
  {
    name: "srcwatch/unused",
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a callback's position, a rest sibling).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    name: "srcwatch/layers",
    plugins: { boundaries },
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" }, node: true },
      "boundaries/elements": [
        // The generated Prisma client comes before prisma/ so that it is an element of its own.
        { type: "prisma-client", pattern: "prisma/generated", partialMatch: false },
        ...[
          "core",
          "contract",
          "sources",
          "server",
          "worker",
          "components",
          "app",
          "simulator",
          "prisma",
          "scripts",
          "bench",
          "e2e",
          "test",
        ].map((type) => ({ type, pattern: type, partialMatch: false })),
        { type: "proxy", pattern: ["proxy.ts", "next.config.ts"], mode: "full" },
        { type: "client-entry", pattern: "instrumentation-client.ts", mode: "full" },
      ],
      "boundaries/files": [{ category: "test", pattern: TEST_FILES }],
      "boundaries/legacy-warnings": false,
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          message: "{{from.element.type}} must not import {{to.element.type}} (the layers in ARCHITECTURE.md)",
          checkUnknownLocals: true,
          policies: [
            ...Object.entries(LAYERS).map(([from, allowed]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { type: allowed } } },
            })),
            { from: { file: { categories: "test" } }, allow: { to: { element: { type: "*" } } } },
          ],
        },
      ],
    },
  },
  {
    name: "srcwatch/e2e",
    files: ["e2e/**"],
    // Playwright's fixtures call `use(...)`, which is not React's `use` hook.
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    name: "srcwatch/server-only",
    files: ["server/**/*.{ts,tsx}"],
    // security-headers.ts is read by next.config.ts, which Next loads in plain Node, where "server-only" throws.
    ignores: [...TEST_FILES, "server/http/security-headers.ts"],
    plugins: { srcwatch: { rules: { "require-server-only": requireServerOnly } } },
    rules: { "srcwatch/require-server-only": "error" },
  },
  {
    name: "srcwatch/no-server-only-outside-server",
    files: ["core/**", "contract/**", "components/**", "sources/**", "simulator/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "server-only",
              message: "Only server/ modules are server-only: this layer is imported by the browser or by plain Node.",
            },
          ],
        },
      ],
    },
  },
  prettier,
]);
