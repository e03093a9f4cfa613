import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { NavLink } from "@/components/nav-link";
import { Providers } from "@/components/providers";
import { HeaderSearch } from "@/components/search/header-search";
import { Instant } from "@/components/ui/instant";
import { getClock, getClockEnd } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { buildPageMetadata, SITE_NAME } from "@/server/http/page-metadata";
import "./globals.css";

export const dynamic = "force-dynamic";

/** What every page inherits: absolute URLs from the configured publicUrl, the icons and manifest in public/. */
export function generateMetadata(): Metadata {
  return {
    // The defaults of pages that set none (a confirmation link, the print view): the site's title and image, no og:url.
    ...buildPageMetadata({ title: SITE_NAME }),
    metadataBase: new URL(getConfig().notifications.publicUrl),
    title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` },
    applicationName: SITE_NAME,
    manifest: "/manifest.webmanifest",
    icons: {
      icon: [
        { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
        { url: "/icon.svg", type: "image/svg+xml" },
      ],
      apple: "/apple-touch-icon.png",
    },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: "#0369a1",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const now = getClock().now().toISOString();
  const clockEnd = getClockEnd();
  const isClockStopped = clockEnd !== null && now >= clockEnd.toISOString();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col font-sans antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <header className="border-b border-zinc-200 print:hidden dark:border-zinc-800">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight no-underline">
              srcwatch
            </Link>
            <nav aria-label="Main">
              <ul className="flex flex-wrap gap-1">
                <li>
                  <NavLink href="/">Overview</NavLink>
                </li>
                <li>
                  <NavLink href="/updates">Updates</NavLink>
                </li>
                <li>
                  <NavLink href="/packages">Packages</NavLink>
                </li>
                <li>
                  <NavLink href="/reports/missing">Report</NavLink>
                </li>
                <li>
                  <NavLink href="/poll-runs">Poll runs</NavLink>
                </li>
                <li>
                  <NavLink href="/alerts">Alerts</NavLink>
                </li>
                <li>
                  <NavLink href="/subscribe">Subscribe</NavLink>
                </li>
              </ul>
            </nav>
            <HeaderSearch />
          </div>
        </header>
        <Providers>
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
            {children}
          </main>
        </Providers>
        <footer className="border-t border-zinc-200 text-sm print:hidden text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <div className="mx-auto flex max-w-7xl flex-wrap justify-between gap-2 px-4 py-3">
            <p>srcwatch — did the sources of this RHEL update reach the public yet?</p>
            <p>
              Server time: <Instant at={now} />
              {isClockStopped ? " — the demo's clock has stopped: its scenario's data ends here" : null}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
