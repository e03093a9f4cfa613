import { describe, expect, it } from "vitest";
import type { AlertDetails, AlertItem } from "../../core/alerts/types";
import { renderAlertEmail, type AlertNotification } from "./render-alert-email";
import { renderConfirmationEmail } from "./render-confirmation-email";
import { renderDigestEmail } from "./render-digest-email";
import { renderWebhookPayload } from "./render-webhook-payload";
import { SubscriptionScope } from "../../core/alerts/subscription-scope";

const publicUrl = "https://srcwatch.example.org/";
const links = {
  manageUrl: "https://srcwatch.example.org/subscriptions/manage?token=m",
  unsubscribeUrl: "https://srcwatch.example.org/unsubscribe?token=u",
  oneClickUnsubscribeUrl: "https://srcwatch.example.org/api/v1/subscriptions/unsubscribe?token=u",
};

function item(advisoryId: string, overrides: Partial<AlertItem> = {}): AlertItem {
  return {
    advisoryId,
    advisoryUrl: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Important",
    title: `kernel update ${advisoryId}`,
    issuedAt: "2023-06-14T10:00:00Z",
    major: 8,
    packages: [{ name: "kernel", nevra: "kernel-0:4.18.0-477.15.1.el8_8.src", status: "missing", since: "2023-06-21T10:00:00Z" }],
    ageHours: 170,
    ...overrides,
  };
}

function notification(
  overrides: {
    type?: AlertNotification["event"]["type"];
    details?: Partial<AlertDetails>;
    summary?: string;
    matched?: string[];
    kind?: AlertNotification["alert"]["kind"];
  } = {},
): AlertNotification {
  const details: AlertDetails = {
    mirrorId: "git.centos.org",
    mirrorName: "git.centos.org",
    major: 8,
    items: [item("RHSA-2023:3588"), item("RHBA-2023:3600", { severity: null })],
    stop: {
      lastPublishedAt: "2023-06-12T08:00:00Z",
      normalLagHours: 31,
      normalLagSource: "learned",
      percentile: 95,
      historySize: 240,
      releasedSinceCount: 14,
      overdueSinceCount: 9,
    },
    ...overrides.details,
  };
  return {
    alert: {
      id: 42,
      kind: overrides.kind ?? "publishing_stopped",
      mirrorId: "git.centos.org",
      major: 8,
      summary: overrides.summary ?? "git.centos.org stopped publishing RHEL 8",
      startsAt: new Date("2023-06-16T00:00:00Z"),
      resolvedAt: overrides.type === "resolved" ? new Date("2023-06-30T00:00:00Z") : null,
    },
    event: { id: 7, type: overrides.type ?? "fired", at: new Date("2023-06-16T00:00:00Z"), details },
    matchedAdvisoryIds: overrides.matched ?? [],
  };
}

describe("renderAlertEmail", () => {
  it("names the state and the alert in the subject", () => {
    expect(renderAlertEmail({ notification: notification(), publicUrl, links }).subject).toBe(
      "[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue",
    );
    expect(renderAlertEmail({ notification: notification({ type: "resolved" }), publicUrl, links }).subject).toBe(
      "[srcwatch] RESOLVED: git.centos.org stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue",
    );
    expect(renderAlertEmail({ notification: notification({ type: "reminder" }), publicUrl, links }).subject).toBe(
      "[srcwatch] REMINDER: git.centos.org stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue",
    );
  });

  it("says the numbers of the event it tells, not those of the alert as it stands now", () => {
    // The alert grew to 37 overdue after this event was queued: its mail still says 9, in the subject as in the body.
    const mail = renderAlertEmail({
      notification: notification({ summary: "git.centos.org stopped publishing RHEL 8: nothing since 2023-06-05, 37 updates overdue" }),
      publicUrl,
      links,
    });
    expect(mail.subject).toBe("[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue");
    expect(mail.text).toContain("Released since: 14 updates, 9 past the normal lag, none published");
    expect(mail.text).not.toContain("37");
  });

  it("carries the evidence and the links in both bodies", () => {
    const mail = renderAlertEmail({ notification: notification(), publicUrl, links });
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain("RHSA-2023:3588");
      expect(body).toContain("https://access.redhat.com/errata/RHSA-2023:3588");
      expect(body).toContain("[Important] kernel — released 2023-06-14");
      expect(body).toContain("the p95 of its last 240 publications");
      expect(body).toContain("1 d 7 h");
      expect(body).toContain("2023-06-12 08:00 UTC");
      expect(body).toContain("https://srcwatch.example.org/alerts/42");
      expect(body).toContain("https://srcwatch.example.org/mirrors/git.centos.org");
      expect(body).toContain("https://srcwatch.example.org/reports/missing?mirror=git.centos.org");
      expect(body).toContain(links.unsubscribeUrl);
    }
    expect(mail.html).toContain('<a href="https://srcwatch.example.org/alerts/42"');
  });

  it("lists only the advisories the subscriber's scope matched", () => {
    const mail = renderAlertEmail({ notification: notification({ matched: ["RHBA-2023:3600"] }), publicUrl, links });
    expect(mail.text).toContain("RHBA-2023:3600");
    expect(mail.text).not.toContain("RHSA-2023:3588");
  });

  it("caps long lists with how many were left out", () => {
    const items = Array.from({ length: 75 }, (_, index) => item(`RHSA-2023:${1000 + index}`));
    const mail = renderAlertEmail({ notification: notification({ details: { items } }), publicUrl, links });
    expect(mail.text).toContain("Updates released since the stop (75)");
    expect(mail.text).toContain("RHSA-2023:1004");
    expect(mail.text).not.toContain("RHSA-2023:1005");
    expect(mail.text).toContain("… and 70 more: every one on the alert page <https://srcwatch.example.org/alerts/42>");
  });

  it("lists the most severe updates first, then the newest", () => {
    const items = [
      item("RHSA-2023:1000", { severity: "Low", issuedAt: "2023-06-20T00:00:00Z" }),
      item("RHSA-2023:1001", { severity: "Critical", issuedAt: "2023-06-13T00:00:00Z" }),
      item("RHSA-2023:1002", { severity: "Important", issuedAt: "2023-06-14T00:00:00Z" }),
      item("RHSA-2023:1003", { severity: "Important", issuedAt: "2023-06-19T00:00:00Z" }),
      item("RHBA-2023:1004", { severity: null, issuedAt: "2023-06-21T00:00:00Z" }),
      item("RHSA-2023:1005", { severity: "Moderate", issuedAt: "2023-06-15T00:00:00Z" }),
    ];
    const text = renderAlertEmail({ notification: notification({ details: { items } }), publicUrl, links }).text;
    const order = [...text.matchAll(/^- (RH[SB]A-2023:\d+)/gm)].map((match) => match[1]);
    expect(order).toEqual(["RHSA-2023:1001", "RHSA-2023:1003", "RHSA-2023:1002", "RHSA-2023:1005", "RHSA-2023:1000"]);
    expect(text).toContain("… and 1 more");
  });

  it("says where else the updates already are, in the first lines and per update", () => {
    const alma = { mirrorId: "almalinux", mirrorName: "AlmaLinux" };
    const rocky = { mirrorId: "rocky", mirrorName: "Rocky Linux" };
    const items = [
      item("RHSA-2023:3588", { publishedOn: [alma, rocky] }),
      item("RHBA-2023:3600", { severity: null, publishedOn: [alma] }),
      item("RHSA-2023:3601", { publishedOn: [] }),
    ];
    const mail = renderAlertEmail({ notification: notification({ details: { items } }), publicUrl, links });
    const firstLines = mail.text.split("\n").slice(0, 5).join("\n");
    expect(firstLines).toContain("Already published on AlmaLinux (2 of 3) and Rocky Linux (1 of 3).");
    expect(mail.text).toContain(
      "RHSA-2023:3588 <https://access.redhat.com/errata/RHSA-2023:3588> [Important] kernel — released 2023-06-14; on AlmaLinux, Rocky Linux",
    );
    expect(mail.text).toContain("; on no other mirror");
    expect(mail.html).toContain("Already published on AlmaLinux (2 of 3) and Rocky Linux (1 of 3).");
    // A resolve is not the moment to point elsewhere.
    expect(renderAlertEmail({ notification: notification({ type: "resolved", details: { items } }), publicUrl, links }).text).not.toContain(
      "Already published",
    );
  });

  it("keeps a FIRING mail of a long stop under 4 KB of text, however many updates it is about", () => {
    const elsewhere = [
      { mirrorId: "almalinux", mirrorName: "AlmaLinux" },
      { mirrorId: "oracle", mirrorName: "Oracle Linux" },
      { mirrorId: "rocky", mirrorName: "Rocky Linux" },
    ];
    const items = Array.from({ length: 120 }, (_, index) =>
      item(`RHSA-2023:${4000 + index}`, {
        severity: index % 3 === 0 ? "Critical" : "Important",
        title: `Important: a rather long advisory title for update number ${index} of the stream`,
        packages: ["kernel", "kernel-rt", "kpatch-patch", "bpftool"].map((name) => ({
          name,
          nevra: `${name}-0:4.18.0-477.${index}.1.el8_8.src`,
          status: "missing",
          since: "2023-06-21T10:00:00Z",
        })),
        publishedOn: elsewhere,
      }),
    );
    const mail = renderAlertEmail({ notification: notification({ details: { items } }), publicUrl, links });
    expect(Buffer.byteLength(mail.text, "utf8")).toBeLessThan(4096);
    expect(mail.text).toContain("Already published on AlmaLinux (120 of 120), Oracle Linux (120 of 120) and Rocky Linux (120 of 120).");
    expect(mail.text).toContain("… and 115 more");
  });

  it("escapes every value it puts into the HTML", () => {
    const hostile = item("RHSA-<b>x</b>", { title: `<script>alert("x")</script>`, advisoryUrl: "javascript:alert(1)" });
    const mail = renderAlertEmail({
      notification: notification({ details: { mirrorName: `"><svg><img src=x onerror=alert(1)>`, items: [hostile] } }),
      publicUrl,
      links,
    });
    expect(mail.html).not.toMatch(/<script|<img|<svg|<b>x|href="javascript/i);
    expect(mail.html).toContain("&lt;svg&gt;&lt;img");
    expect(mail.html).toContain("RHSA-&lt;b&gt;x&lt;/b&gt;");
  });

  it("keeps CR and LF out of the subject whatever the data", () => {
    const mail = renderAlertEmail({
      notification: notification({ details: { mirrorName: "evil\r\nBcc: victim@example.org\r\n\r\nbody" } }),
      publicUrl,
      links,
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toBe(
      "[srcwatch] FIRING: evil Bcc: victim@example.org body stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue",
    );
    for (const value of Object.values(mail.headers)) expect(value).not.toMatch(/[\r\n]/);
  });

  it("offers one-click unsubscribe (RFC 8058) and marks itself automatic", () => {
    const { headers } = renderAlertEmail({ notification: notification(), publicUrl, links });
    expect(headers["List-Unsubscribe"]).toBe(`<${links.oneClickUnsubscribeUrl}>`);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Id"]).toBe("srcwatch alerts <alerts.srcwatch.example.org>");
    expect(headers["Auto-Submitted"]).toBe("auto-generated");
  });

  it("explains a stale mirror as our polling problem", () => {
    const mail = renderAlertEmail({
      notification: notification({
        kind: "mirror_stale",
        summary: "",
        details: {
          major: null,
          items: [],
          stop: undefined,
          stale: {
            lastSuccessAt: null,
            staleAfterMinutes: 360,
            lastErrorKind: "network",
            lastErrorMessage: "ECONNREFUSED",
            consecutiveFailures: 5,
          },
        },
      }),
      publicUrl,
      links,
    });
    expect(mail.subject).toBe("[srcwatch] FIRING: git.centos.org: no successful poll ever");
    expect(mail.text).toContain("Last successful poll: never");
    expect(mail.text).toContain("network: ECONNREFUSED");
  });
});

describe("renderConfirmationEmail", () => {
  it("carries the confirm link and what was asked for, and no unsubscribe header", () => {
    const scope = SubscriptionScope.parse({ mirrors: ["git.centos.org"], majors: [8] });
    const mail = renderConfirmationEmail({
      confirmUrl: "https://srcwatch.example.org/subscribe/confirm?token=abc",
      scope,
      delivery: "immediate",
      reminders: "weekly",
    });
    expect(mail.subject).toBe("[srcwatch] Confirm your srcwatch subscription");
    expect(mail.text).toContain("https://srcwatch.example.org/subscribe/confirm?token=abc");
    expect(mail.text).toContain("Mirrors: git.centos.org");
    expect(mail.text).toContain("RHEL majors: 8");
    expect(mail.text).toContain("Reminders while an alert keeps firing: weekly");
    expect(mail.text).toContain("ignore this mail");
    expect(mail.headers["List-Unsubscribe"]).toBeUndefined();
  });
});

describe("renderDigestEmail", () => {
  it("bundles several notifications into one mail", () => {
    const mail = renderDigestEmail({
      date: "2023-06-17",
      notifications: [notification(), notification({ type: "resolved" })],
      publicUrl,
      links,
    });
    expect(mail.subject).toBe("[srcwatch] Daily digest 2023-06-17: 2 alert notifications");
    expect(mail.text).toContain("FIRING: git.centos.org stopped publishing RHEL 8");
    expect(mail.text).toContain("RESOLVED: git.centos.org stopped publishing RHEL 8");
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });
});

describe("renderWebhookPayload", () => {
  it("has srcwatch's own JSON shape", () => {
    const payload = renderWebhookPayload("json", notification({ matched: ["RHSA-2023:3588"] }), publicUrl) as {
      version: number;
      event: string;
      alert: Record<string, unknown>;
      details: AlertDetails;
    };
    expect(payload.version).toBe(1);
    expect(payload.event).toBe("fired");
    expect(payload.alert).toEqual({
      id: 42,
      kind: "publishing_stopped",
      mirrorId: "git.centos.org",
      major: 8,
      status: "firing",
      summary: "git.centos.org stopped publishing RHEL 8: nothing since 2023-06-12, 9 updates overdue",
      startsAt: "2023-06-16T00:00:00.000Z",
      resolvedAt: null,
      url: "https://srcwatch.example.org/alerts/42",
    });
    expect(payload.details.items.map((entry) => entry.advisoryId)).toEqual(["RHSA-2023:3588"]);
  });

  it("has Slack's text and blocks", () => {
    const payload = renderWebhookPayload("slack", notification(), publicUrl) as {
      text: string;
      blocks: { type: string; text: { type: string; text: string } }[];
    };
    expect(payload.text).toContain("FIRING: git.centos.org stopped publishing RHEL 8");
    expect(payload.blocks[0].text.type).toBe("mrkdwn");
    expect(payload.blocks[1].text.text).toContain("<https://access.redhat.com/errata/RHSA-2023:3588|RHSA-2023:3588>");
  });

  it("has Matrix's m.text with an HTML body", () => {
    const payload = renderWebhookPayload("matrix", notification({ details: { mirrorName: "<b>" } }), publicUrl) as Record<string, string>;
    expect(payload.msgtype).toBe("m.text");
    expect(payload.format).toBe("org.matrix.custom.html");
    expect(payload.body).toContain("FIRING: <b> stopped publishing");
    expect(payload.formatted_body).toContain("FIRING: &lt;b&gt; stopped publishing");
  });
});

describe("advisory links stored before links were checked", () => {
  const hostile = [
    item("RHSA-2023:0001", { advisoryUrl: "javascript:alert(document.domain)//errata/RHSA-2023:0001" }),
    item("RHSA-2023:0002", { advisoryUrl: "https://access.redhat.com@evil.example/errata/RHSA-2023:0002" }),
    item("RHSA-2023:0003", { advisoryUrl: "data:text/html,<script>alert(1)</script>" }),
    item("RHSA-2023:0004", { advisoryUrl: "https://access.redhat.com/errata/RHSA-2023:0004|x" }),
  ];
  const stored = () => notification({ details: { items: hostile } });

  it("are shown as plain advisory ids in mail, text and HTML, never as links", () => {
    const mail = renderAlertEmail({ notification: stored(), publicUrl, links });
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/javascript:|data:text|evil\.example/);
      expect(body).toContain("RHSA-2023:0001");
    }
    expect(mail.html).not.toMatch(/<a href="[^"]*RHSA-2023:000[123]/);
  });

  it("are left out of JSON, Slack and Matrix payloads while the advisory ids stay", () => {
    const json = renderWebhookPayload("json", stored(), publicUrl) as {
      details: { items: Array<{ advisoryId: string; advisoryUrl: string | null }> };
    };
    expect(json.details.items.map((entry) => entry.advisoryUrl)).toEqual([
      null,
      null,
      null,
      "https://access.redhat.com/errata/RHSA-2023:0004|x",
    ]);
    for (const format of ["slack", "matrix"] as const) {
      const text = JSON.stringify(renderWebhookPayload(format, stored(), publicUrl));
      expect(text).not.toMatch(/javascript:|data:text|evil\.example/);
      expect(text).toContain("RHSA-2023:0001");
    }
    const slack = JSON.stringify(renderWebhookPayload("slack", stored(), publicUrl));
    expect(slack).toContain("<https://access.redhat.com/errata/RHSA-2023:0004%7Cx|RHSA-2023:0004>");
  });
});
