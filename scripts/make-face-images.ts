// npx tsx scripts/make-face-images.ts — writes the site's icons and its link-preview image into public/.
// Run again after changing the mark (public/icon.svg) or the words; the PNGs and favicon.ico are committed.
// Images are drawn by next/og (satori + resvg, bundled with Next: no other dependency). favicon.ico is written here
// because no maintained package is needed for it: an ICO holding PNGs is a 6-byte header and one 16-byte entry per image.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createElement as h } from "react";
import { ImageResponse } from "next/og";

const PUBLIC = path.resolve(import.meta.dirname, "../public");
const MARK = readFileSync(path.join(PUBLIC, "icon.svg"), "utf8");
const MARK_URL = `data:image/svg+xml;base64,${Buffer.from(MARK).toString("base64")}`;
const BRAND = "#0369a1";

async function render(element: ReturnType<typeof h>, width: number, height: number): Promise<Buffer> {
  return Buffer.from(await new ImageResponse(element, { width, height }).arrayBuffer());
}

/** The mark alone, edge to edge (favicons), or on a full-bleed brand square with a margin (home-screen icons, which platforms mask). */
function icon(size: number, isPadded: boolean) {
  const inner = isPadded ? Math.round(size * 0.72) : size;
  return h(
    "div",
    {
      style: {
        width: size,
        height: size,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: isPadded ? BRAND : "transparent",
      },
    },
    h("img", { src: MARK_URL, width: inner, height: inner }),
  );
}

/** 1200 × 630, the size Open Graph and Twitter's large card show without cropping. */
function socialPreview() {
  return h(
    "div",
    {
      style: {
        width: 1200,
        height: 630,
        display: "flex",
        flexDirection: "column",
        justifyContent: "center",
        padding: "0 96px",
        background: "#0c1a26",
        color: "#f4f4f5",
      },
    },
    h(
      "div",
      { style: { display: "flex", alignItems: "center", gap: 32 } },
      h("img", { src: MARK_URL, width: 120, height: 120 }),
      h("div", { style: { fontSize: 96, fontWeight: 700, letterSpacing: -2 } }, "srcwatch"),
    ),
    h(
      "div",
      { style: { marginTop: 48, fontSize: 48, lineHeight: 1.25, color: "#e4e4e7" } },
      "Did the sources of this RHEL update reach the public yet — where, and how late?",
    ),
    h(
      "div",
      { style: { marginTop: 40, fontSize: 30, color: "#7dd3fc" } },
      "git.centos.org · CentOS Stream · AlmaLinux · Rocky · Oracle · OpenELA",
    ),
  );
}

/** An ICO file holding PNG images (Windows Vista and every current browser read PNG entries). */
function toIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

const favicons = [
  { size: 16, png: await render(icon(16, false), 16, 16) },
  { size: 32, png: await render(icon(32, false), 32, 32) },
  { size: 48, png: await render(icon(48, false), 48, 48) },
];
writeFileSync(path.join(PUBLIC, "favicon.ico"), toIco(favicons));
writeFileSync(path.join(PUBLIC, "apple-touch-icon.png"), await render(icon(180, true), 180, 180));
writeFileSync(path.join(PUBLIC, "icon-192.png"), await render(icon(192, true), 192, 192));
writeFileSync(path.join(PUBLIC, "icon-512.png"), await render(icon(512, true), 512, 512));
writeFileSync(path.join(PUBLIC, "og.png"), await render(socialPreview(), 1200, 630));
console.log("written: public/favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png, og.png");
