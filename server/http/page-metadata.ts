import "server-only";

import type { Metadata } from "next";

export const SITE_NAME = "srcwatch";
export const SITE_DESCRIPTION = "Did the sources of this RHEL update reach the public yet — where, and how late?";
/** public/og.png, drawn by scripts/make-face-images.ts. */
const PREVIEW_IMAGE = {
  url: "/og.png",
  width: 1200,
  height: 630,
  alt: "srcwatch: did the sources of this RHEL update reach the public yet?",
};

/**
 * A page's title and description for the tab, search engines and link previews (Open Graph, Twitter's card): a link
 * pasted into a chat says what it is. Spelled out whole on every page, because Next replaces a layout's `openGraph`
 * with a page's rather than merging them. `path` is the page's canonical path (none for the layout's defaults); the
 * layout's metadataBase (notifications.publicUrl) makes it absolute.
 */
export function buildPageMetadata(input: { title: string; description?: string; path?: string }): Metadata {
  const description = input.description ?? SITE_DESCRIPTION;
  const title = input.title === SITE_NAME ? SITE_NAME : `${input.title} · ${SITE_NAME}`;
  return {
    title: input.title,
    description,
    openGraph: {
      type: "website",
      siteName: SITE_NAME,
      title,
      description,
      // Only a page that says its path gets og:url: inherited from the layout, it would claim another page's address.
      ...(input.path ? { url: input.path } : {}),
      images: [PREVIEW_IMAGE],
    },
    twitter: { card: "summary_large_image", title, description, images: [PREVIEW_IMAGE] },
  };
}
