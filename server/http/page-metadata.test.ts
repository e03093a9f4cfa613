import { describe, expect, it } from "vitest";
import { buildPageMetadata, SITE_DESCRIPTION } from "./page-metadata";

describe("buildPageMetadata", () => {
  it("gives a page its title, description, address and the preview image for Open Graph and Twitter alike", () => {
    const metadata = buildPageMetadata({
      title: "git.centos.org",
      description: "RHEL 8: stopped publishing on 2023-06-05.",
      path: "/mirrors/git.centos.org",
    });
    expect(metadata.title).toBe("git.centos.org");
    expect(metadata.openGraph).toMatchObject({
      title: "git.centos.org · srcwatch",
      description: "RHEL 8: stopped publishing on 2023-06-05.",
      url: "/mirrors/git.centos.org",
      siteName: "srcwatch",
      images: [{ url: "/og.png", width: 1200, height: 630 }],
    });
    expect(metadata.twitter).toMatchObject({
      card: "summary_large_image",
      title: "git.centos.org · srcwatch",
      images: [{ url: "/og.png" }],
    });
  });

  it("claims no address for the layout's defaults, and does not repeat the site's name", () => {
    const metadata = buildPageMetadata({ title: "srcwatch" });
    expect(metadata.openGraph).not.toHaveProperty("url");
    expect(metadata.openGraph).toMatchObject({ title: "srcwatch", description: SITE_DESCRIPTION });
  });
});
