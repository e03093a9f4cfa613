import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { GET as listPollRunsRoute } from "../../app/api/v1/poll-runs/route";
import { PollRunRemarks } from "../../components/poll-runs/poll-run-remarks";
import type { PollRunsResponse } from "../../contract/poll-run-dto";
import { testDatabaseProvider } from "../support/test-database";
import { textOfHtml } from "../support/text-of-html";
import { pollAtStartAndAt, useHarnessForWebReads } from "../support/use-harness-for-web-reads";

async function listUpstreamRuns(): Promise<PollRunsResponse> {
  const response = await listPollRunsRoute(new Request("http://srcwatch.test/api/v1/poll-runs?source=redhat-csaf"));
  expect(response.status).toBe(200);
  return (await response.json()) as PollRunsResponse;
}

describe(`a poll says how it went, on its poll run (${testDatabaseProvider()})`, () => {
  useHarnessForWebReads(
    // The scenario's feed is small: any first sync reads the archive here.
    { start: "2023-06-10T00:00:00Z", startDate: "2023-06-01", upstreamOverrides: { archive: { minDocuments: 1 } } },
    async (harness) => pollAtStartAndAt(harness, ["2023-06-12T00:00:00Z"]),
  );

  it("keeps which way the first sync went, shows it in the API and on the page, and says nothing of a plain poll", async () => {
    const [later, first] = (await listUpstreamRuns()).items;
    expect(first.outcome).toBe("success");
    expect(first.notes).toHaveLength(1);
    expect(first.notes[0]).toMatch(/^first sync from csaf_advisories_2023-06-10\.tar\.zst: \d+ documents read from it$/);
    expect(later.outcome).toBe("success");
    expect(later.notes).toEqual([]);

    const cell = textOfHtml(renderToStaticMarkup(createElement(PollRunRemarks, { run: first })));
    expect(cell).toContain(first.notes[0]);
    expect(textOfHtml(renderToStaticMarkup(createElement(PollRunRemarks, { run: later }))).trim()).toBe("—");
  });
});
