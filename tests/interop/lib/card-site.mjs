// A web site on 127.0.0.1 for link previews (served by lib/hostile-server.mjs): an article whose head carries
// OpenGraph tags and a photo (the .NET tests' JPEG with GPS EXIF), as a newspaper or an agency's site would. Its
// links name the host cards.localhost: the instance's formatter links names with a top-level domain, not bare
// addresses, and the guarded client takes *.localhost for loopback without DNS (RFC 6761), which only
// Fedi__AllowPrivateNetworks admits.
import fs from "node:fs";

const photo = fs.readFileSync(new URL("../../ServerlessFedi.Tests/Media/Fixtures/exif-orientation6-gps.jpg", import.meta.url));

export const article = {
  title: "Hochwasser: Pegel & Warnungen",
  description: "Aktuelle Pegelstände des Landes.",
  imageAlt: "Ein Fluss über den Ufern",
  siteName: "Landesamt",
};

const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The URL of `path` on `site`, as a status links it. */
export const siteUrl = (site, path) => `http://cards.localhost:${new URL(site.origin).port}${path}`;

/** Serves the article at `path` (its image at `${path}.jpg`, or `image` as og:image) on `site`; answers the article's URL. */
export function serveArticle(site, path = "/article", { image } = {}) {
  const head = [
    `<meta charset="utf-8"><title>Fallback</title>`,
    `<meta property="og:title" content="${escape(article.title)}">`,
    `<meta property="og:description" content="${escape(article.description)}">`,
    `<meta property="og:site_name" content="${escape(article.siteName)}">`,
    `<meta property="og:image" content="${escape(image ?? `${path}.jpg`)}">`,
    `<meta property="og:image:alt" content="${escape(article.imageAlt)}">`,
  ].join("");
  site.serve(path, `<!DOCTYPE html><html lang="de"><head>${head}</head><body><p>Text.</p></body></html>`, "text/html; charset=utf-8");
  site.serve(`${path}.jpg`, photo, "image/jpeg");
  return siteUrl(site, path);
}
