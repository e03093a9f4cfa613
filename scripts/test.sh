#!/usr/bin/env bash
# npm test: every test — types, lint (the layers), format, unit and integration suites (embedded SQLite), then the browser journeys.
# SRCWATCH_TEST_DATABASE=postgres runs the database suites on PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p reports

echo "== typecheck"
npx tsc --noEmit -p .

echo "== lint (eslint.config.mjs: the layers of ARCHITECTURE.md, server-only, Next's rules)"
npm run --silent lint

echo "== format (prettier --check; npm run format rewrites)"
npm run --silent format:check

echo "== unit and integration tests (${SRCWATCH_TEST_DATABASE:-sqlite})"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json

echo "== build the web app"
npx next build

echo "== benchmarks at smoke sizes (fails when one crashes, never on a missed target; see bench/README.md)"
npm run --silent bench -- --smoke

echo "== end-to-end journeys (Chromium)"
npx playwright test

node scripts/print-test-totals.mjs reports/vitest.json reports/playwright.json
