import { describe, expect, it } from "vitest";
import type { AlertDetails } from "../../core/alerts/types";
import { createPartialStopDetails } from "../../test/support/notification-fixtures";
import { renderAlertEmail, type AlertNotification } from "./render-alert-email";
import { renderDigestEmail } from "./render-digest-email";
import { MAX_WEBHOOK_PACKAGES, renderWebhookPayload } from "./render-webhook-payload";

const publicUrl = "https://srcwatch.example.org/";
const links = {
  manageUrl: "https://srcwatch.example.org/subscriptions/manage?token=m",
  unsubscribeUrl: "https://srcwatch.example.org/unsubscribe?token=u",
  oneClickUnsubscribeUrl: "https://srcwatch.example.org/api/v1/subscriptions/unsubscribe?token=u",
};
const SHARE = "published 4 of the last 20 RHEL 8 updates (normally 19 of 20)";
const SUMMARY = `OpenELA ${SHARE}; these packages stopped: bash, curl, glibc, kernel, libxml2, nss, openssh, openssl, … (+8 more)`;

function partialStopNotification(
  details: AlertDetails = createPartialStopDetails(),
  overrides: { type?: AlertNotification["event"]["type"]; matched?: string[] } = {},
): AlertNotification {
  return {
    alert: {
      id: 77,
      kind: "partial_stop",
      mirrorId: "openela",
      major: 8,
      summary: SUMMARY,
      startsAt: new Date("2023-06-20T00:00:00Z"),
      resolvedAt: null,
    },
    event: { id: 9, type: overrides.type ?? "fired", at: new Date("2023-06-20T00:00:00Z"), details },
    matchedAdvisoryIds: overrides.matched ?? [],
  };
}

const numbers = () => createPartialStopDetails().partialStop!;

describe("a partial_stop alert by mail", () => {
  it("tells the rule's share, every stopped package, the packages still arriving and the normal lag, in text and HTML", () => {
    const mail = renderAlertEmail({ notification: partialStopNotification(), publicUrl, links });
    expect(mail.subject).toBe(`[srcwatch] FIRING: ${SUMMARY}`);
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(`OpenELA ${SHARE}.`);
      expect(body).toContain("Mirror stopped some packages");
      expect(body).toContain("Normal lag of this mirror: 1 d 7 h");
      expect(body).toContain(`Packages it stopped publishing (16): ${numbers().stoppedPackages.join(", ")}`);
      expect(body).toContain("Packages still arriving (2): firefox, thunderbird");
      expect(body).toContain("Unpublished updates in the window (16)");
      // The five newest of the same severity, then a link to all of them.
      for (const index of [15, 14, 13, 12, 11]) {
        expect(body).toContain(`RHSA-2023:${4000 + index}`);
        expect(body).toContain(`https://access.redhat.com/errata/RHSA-2023:${4000 + index}`);
      }
      expect(body).not.toContain("RHSA-2023:4010");
      expect(body).toContain("… and 11 more");
    }
    expect(mail.html).toContain('<a href="https://access.redhat.com/errata/RHSA-2023:4015"');
  });

  it("lists every stopped package however many there are (only chat webhooks cap them)", () => {
    const details = createPartialStopDetails({ stoppedCount: 140 });
    const mail = renderAlertEmail({ notification: partialStopNotification(details), publicUrl, links });
    for (const name of details.partialStop!.stoppedPackages) {
      expect(mail.text).toContain(name);
      expect(mail.html).toContain(name);
    }
    expect(mail.text).toContain("Packages it stopped publishing (140): pkg-000, pkg-001");
    expect(mail.text).not.toMatch(/pkg-139 \+\d+ more/);
  });

  it("shows the same numbers in the daily digest", () => {
    const mail = renderDigestEmail({
      date: "2023-06-21",
      notifications: [partialStopNotification(), partialStopNotification(undefined, { type: "resolved" })],
      publicUrl,
      links,
    });
    expect(mail.text).toContain(`FIRING: ${SUMMARY}`);
    expect(mail.text).toContain(`RESOLVED: ${SUMMARY}`);
    expect(mail.text).toContain(`OpenELA ${SHARE}.`);
    expect(mail.text).toContain("bash, curl, glibc");
  });

  it("escapes package names in the HTML", () => {
    const details = createPartialStopDetails();
    details.partialStop = {
      ...details.partialStop!,
      stoppedPackages: ["<script>alert(1)</script>", "bash"],
      keptPackages: ['"><img src=x>'],
    };
    const mail = renderAlertEmail({ notification: partialStopNotification(details), publicUrl, links });
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;, bash");
  });

  it("says nothing rather than wrong numbers when the stored ones do not hold together", () => {
    const details = createPartialStopDetails();
    details.partialStop = { ...details.partialStop!, publishedInWindow: 25 };
    const mail = renderAlertEmail({ notification: partialStopNotification(details), publicUrl, links });
    expect(mail.text).not.toContain("published 25 of");
    expect(mail.text).not.toContain("Why we think the mirror stopped some packages");
    expect(mail.text).toContain("RHSA-2023:4015");
  });
});

describe("a partial_stop alert by webhook", () => {
  it("carries the rule's numbers as they are in srcwatch's JSON", () => {
    const payload = renderWebhookPayload("json", partialStopNotification(), publicUrl) as {
      alert: { kind: string; summary: string };
      details: AlertDetails;
    };
    expect(payload.alert).toMatchObject({ kind: "partial_stop", summary: SUMMARY });
    expect(payload.details.partialStop).toEqual(numbers());
    expect(payload.details.items.map((item) => item.advisoryUrl)).toEqual(createPartialStopDetails().items.map((item) => item.advisoryUrl));
  });

  it("tells the share, the stopped and the still-arriving packages and the normal lag in Slack's blocks", () => {
    const payload = renderWebhookPayload("slack", partialStopNotification(), publicUrl) as { blocks: { text: { text: string } }[] };
    const text = payload.blocks.map((block) => block.text.text).join("\n");
    expect(text).toContain(`*OpenELA ${SHARE}.*`);
    expect(text).toContain(`Stopped (16): ${numbers().stoppedPackages.join(", ")}`);
    expect(text).toContain("Still arriving (2): firefox, thunderbird");
    expect(text).toContain("Normal lag: 1 d 7 h");
    expect(text).toContain("Unpublished updates in the window (16):");
    expect(text).toContain("<https://access.redhat.com/errata/RHSA-2023:4000|RHSA-2023:4000>");
  });

  it("caps long package lists in chat with +N more", () => {
    const details = createPartialStopDetails({ stoppedCount: 45 });
    const names = details.partialStop!.stoppedPackages;
    const expected = `Stopped (45): ${names.slice(0, MAX_WEBHOOK_PACKAGES).join(", ")} +${45 - MAX_WEBHOOK_PACKAGES} more`;
    const slack = renderWebhookPayload("slack", partialStopNotification(details), publicUrl) as { blocks: { text: { text: string } }[] };
    expect(slack.blocks[1].text.text).toContain(expected);
    expect(slack.blocks[1].text.text).not.toContain(names[MAX_WEBHOOK_PACKAGES]);
    const matrix = renderWebhookPayload("matrix", partialStopNotification(details), publicUrl) as Record<string, string>;
    expect(matrix.body).toContain(expected);
    expect(matrix.formatted_body).toContain(expected);
  });

  it("tells the same in Matrix's plain and HTML bodies, escaped", () => {
    const details = createPartialStopDetails();
    details.partialStop = { ...details.partialStop!, keptPackages: ["<b>firefox</b>"] };
    const payload = renderWebhookPayload("matrix", partialStopNotification(details), publicUrl) as Record<string, string>;
    for (const body of [payload.body, payload.formatted_body]) {
      expect(body).toContain(`OpenELA ${SHARE}.`);
      expect(body).toContain(`Stopped (16): ${numbers().stoppedPackages.join(", ")}`);
      expect(body).toContain("Normal lag: 1 d 7 h");
      expect(body).toContain("Unpublished updates in the window (16):");
    }
    expect(payload.body).toContain("Still arriving (1): <b>firefox</b>");
    expect(payload.formatted_body).toContain("Still arriving (1): &lt;b&gt;firefox&lt;/b&gt;");
    expect(payload.formatted_body).toContain('<a href="https://access.redhat.com/errata/RHSA-2023:4000">RHSA-2023:4000</a>');
  });
});
