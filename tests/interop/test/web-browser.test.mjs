// Public web in a real browser: Debian's headless Chromium (driven by
// playwright-core) loads the front page, a profile (in English and German), a
// status page with its thread (also in German), a status page with a video and
// a sound, a status page with a link preview (its image stored here), the remote-follow form with an error, and the about, imprint and
// privacy pages. On each: axe-core finds no WCAG 2.1 A/AA violation, no
// request leaves the instance's origin, the Content-Security-Policy blocks
// nothing of ours, and at 320 CSS pixels (1280 px at 400% zoom, WCAG 1.4.10)
// nothing scrolls sideways.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { serveArticle } from "../lib/card-site.mjs";
import { startHostileServer } from "../lib/hostile-server.mjs";
import { startInstance } from "../lib/instance.mjs";
import { api, waitFor } from "../lib/poll.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

describe("public web in headless Chromium", () => {
  let instance;
  let browser;
  let pages; // [name, path]
  let mediaPage;
  let site; // the web site a post links to (lib/card-site.mjs)
  let cardPage;
  let cardImage; // the card's image URL (this instance's)
  let quotePage; // bob's quote of alice's first post

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (tests/interop/run.sh installs Debian's chromium)`);
    instance = await startInstance({
      title: "Land Beispiel Social",
      settings: {
        Fedi__InstanceDescription: "Official accounts of the agencies of the state.\n\nRead without an account, follow from any server.",
        Fedi__ContactEmail: "fediverse@example.gov",
        Fedi__Languages: "de,en",
        Fedi__ImprintText: "# Responsible\n\nState Data Protection Office\nMain Street 1\n12345 Example City",
        Fedi__PrivacyPolicyText: "# What we store\n\nNothing about readers: no cookies, no logs of addresses.",
      },
    });
    await instance.createAccount({ username: "alice", displayName: "Alice Agency", type: "Organization" });
    await instance.createAccount({ username: "bob", displayName: "Bob Bureau" });
    await instance.cli("admin", "account", "update", "--username", "alice", "--note", "We inform citizens.\n\nOpen Monday to Friday.");
    const aliceToken = await instance.createToken("alice", "read write");
    const bobToken = await instance.createToken("bob", "read write");
    const post = async (token, body) => {
      const res = await api(instance, token, "POST", "/api/v1/statuses", body);
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const root = await post(aliceToken, {
      status: "Office hours change on Friday. Details: https://www.example.gov/hours #Service",
      language: "en",
    });
    await post(aliceToken, { status: "Achtung: Umleitung in der Hauptstraße", language: "de", spoiler_text: "Verkehr" });
    const reply = await post(bobToken, { status: "@alice Thank you for the update!", in_reply_to_id: root.id, language: "en" });
    await post(aliceToken, { status: "@bob You are welcome.", in_reply_to_id: reply.id, language: "en" });
    const quote = await post(bobToken, { status: "Good to know:", quoted_status_id: root.id, language: "en" });
    quotePage = `/@bob/${quote.id}`;
    // A clip with GPS in its metadata and a sound with ID3 tags (the .NET tests' fixtures), uploaded as an app does.
    const upload = async (file, description) => {
      const form = new FormData();
      const bytes = fs.readFileSync(new URL(`../../ServerlessFedi.Tests/Media/Fixtures/${file}`, import.meta.url));
      form.append("file", new Blob([bytes], { type: "application/octet-stream" }), file);
      form.append("description", description);
      const res = await fetch(new URL("/api/v1/media", instance.baseUrl), { method: "POST", headers: { Authorization: `Bearer ${aliceToken}` }, body: form });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      return JSON.parse(text).id;
    };
    const media = await post(aliceToken, {
      status: "Press conference on the flood, and the announcement for the radio.",
      language: "en",
      media_ids: [await upload("iphone.mov", "The minister at the lectern"), await upload("tags.mp3", "Announcement: roads closed")],
    });
    mediaPage = `/@alice/${media.id}`;
    site = await startHostileServer();
    const linked = await post(aliceToken, { status: `Water levels rise: ${serveArticle(site, "/levels")}`, language: "en" });
    const card = await waitFor(instance, "the link preview of alice's post", async () => (await api(instance, aliceToken, "GET", `/api/v1/statuses/${linked.id}`)).json?.card);
    cardImage = card.image;
    cardPage = `/@alice/${linked.id}`;
    pages = [
      ["front page", "/"],
      ["profile", "/@alice"],
      ["profile in German", "/@alice?lang=de"],
      ["status page in German", `/@bob/${reply.id}?lang=de`],
      ["status page with thread", `/@bob/${reply.id}`],
      ["status page with video and audio", mediaPage],
      ["status page with a link preview", cardPage],
      ["status page with a quoted post", quotePage],
      ["remote follow with an error", "/@alice/remote_follow?acct=javascript%3Aalert(1)"],
      ["about", "/about"],
      ["imprint", "/imprint"],
      ["privacy policy", "/privacy"],
      ["not found", "/@nobody"],
    ];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // Nothing but the instance is reachable: a page that tried another host would fail here and be seen in the request log.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await instance?.stop();
  });

  // Loads a page in a fresh context, recording every request and every console message.
  async function load(path, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport, javaScriptEnabled: true });
    const page = await context.newPage();
    const requests = [];
    const consoleMessages = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
    const response = await page.goto(new URL(path, instance.baseUrl).href, { waitUntil: "load" });
    return { context, page, response, requests, consoleMessages };
  }

  test("every page has zero axe-core WCAG 2.1 A/AA violations", async () => {
    for (const [name, path] of pages) {
      const { context, page } = await load(path);
      try {
        // page.evaluate runs through the DevTools protocol, which the page's CSP does not govern.
        await page.evaluate(axeSource);
        const result = await page.evaluate(
          (tags) => globalThis.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
          WCAG_TAGS,
        );
        const summary = result.violations.map(
          (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
        );
        assert.deepEqual(summary, [], `${name} (${path}) has accessibility violations:\n${summary.join("\n")}`);
        assert.ok(result.passes.length > 10, `${name}: axe ran only ${result.passes.length} passing rules`);
      } finally {
        await context.close();
      }
    }
  });

  test("no request leaves the instance's origin and the CSP blocks nothing of ours", async () => {
    const origin = new URL(instance.baseUrl).origin;
    for (const [name, path] of pages) {
      const { context, page, requests, consoleMessages, response } = await load(path);
      try {
        assert.ok([200, 400, 404].includes(response.status()), `${name}: HTTP ${response.status()}`);
        const foreign = requests.filter((u) => new URL(u).origin !== origin);
        assert.deepEqual(foreign, [], `${name} requested other origins`);
        assert.ok(requests.some((u) => u.includes("/assets/web.css")), `${name} did not load its stylesheet`);
        const blocked = consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m));
        assert.deepEqual(blocked, [], `${name}: the browser reported CSP violations`);
        // The stylesheet applied: the skip link is moved off-screen until focused.
        const skipTop = await page.evaluate(() => getComputedStyle(document.querySelector(".skip-link")).top);
        assert.notEqual(skipTop, "auto", `${name}: stylesheet not applied`);
        const cookies = await context.cookies();
        assert.deepEqual(cookies, [], `${name} set cookies`);
      } finally {
        await context.close();
      }
    }
  });

  test("the video and the sound on a post load in the browser from the instance, under its CSP", async () => {
    const origin = new URL(instance.baseUrl).origin;
    const { context, page, requests, consoleMessages } = await load(mediaPage);
    try {
      // The players fetch nothing until asked (preload="none"); asking for metadata makes Chromium demux the stored files.
      const loaded = await page.evaluate(async () => {
        const wait = (el) => new Promise((resolve, reject) => {
          el.addEventListener("loadedmetadata", resolve, { once: true });
          el.addEventListener("error", () => reject(new Error(`${el.tagName} error ${el.error?.code}: ${el.error?.message}`)), { once: true });
          setTimeout(() => reject(new Error(`${el.tagName} timed out`)), 15000);
        });
        const video = document.querySelector(".post-media video");
        const audio = document.querySelector(".post-media audio");
        for (const el of [video, audio]) {
          el.preload = "metadata";
          el.load();
        }
        await Promise.all([wait(video), wait(audio)]);
        return { autoplay: video.autoplay || audio.autoplay, width: video.videoWidth, height: video.videoHeight, video: video.duration, audio: audio.duration };
      });
      assert.equal(loaded.autoplay, false);
      assert.deepEqual([loaded.width, loaded.height], [96, 64]);
      assert.ok(Math.abs(loaded.video - 1) < 0.1, `video duration ${loaded.video}`);
      assert.ok(Math.abs(loaded.audio - 1.07) < 0.1, `audio duration ${loaded.audio}`);
      assert.ok(requests.some((u) => u.endsWith("/original.mp4")) && requests.some((u) => u.endsWith("/original.mp3")), "the files came from the media route");
      assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), []);
      assert.deepEqual(consoleMessages.filter((m) => /Content Security Policy|Refused to/i.test(m)), [], "media-src allows our own files");
    } finally {
      await context.close();
    }
  });

  test("a link preview shows its image from the instance, and the browser never asks the linked site", async () => {
    const origin = new URL(instance.baseUrl).origin;
    const served = site.requests.length;
    const { context, page, requests } = await load(cardPage);
    try {
      const image = await page.$(".post-card img");
      assert.ok(image, "the card has its image");
      await image.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector(".post-card img").complete);
      const shown = await page.evaluate(() => {
        const img = document.querySelector(".post-card img");
        return { src: img.currentSrc, width: img.naturalWidth, alt: img.alt, href: document.querySelector(".post-card").href };
      });
      assert.equal(shown.src, cardImage);
      assert.ok(shown.width > 0, "the image decoded");
      assert.ok(shown.alt.length > 0, "the page's og:image:alt is the alt text");
      assert.ok(requests.includes(cardImage), "the image came from the instance's media route");
      assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), []);
      assert.equal(site.requests.length, served, "the browser asked the linked site nothing");
      assert.match(shown.href, /^http:\/\/cards\.localhost:\d+\/levels$/);
    } finally {
      await context.close();
    }
  });

  test("a quote shows the quoted post inside the quoting one, its author and text", async () => {
    const { context, page } = await load(quotePage);
    try {
      const quoted = await page.evaluate(() => {
        const figure = document.querySelector("article.h-entry figure.post-quote");
        return figure && { author: figure.querySelector(".p-author .p-name")?.textContent, text: figure.querySelector("blockquote")?.innerText, link: figure.querySelector("a.u-url")?.href };
      });
      assert.ok(quoted, "the quoted post is embedded");
      assert.equal(quoted.author, "Alice Agency");
      assert.match(quoted.text, /Office hours change on Friday/);
      assert.match(quoted.link, /\/@alice\/\d+$/);
    } finally {
      await context.close();
    }
  });

  test("pages reflow at 320 CSS pixels (400% zoom) without sideways scrolling", async () => {
    for (const [name, path] of pages) {
      const { context, page } = await load(path, { width: 320, height: 256 });
      try {
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(widths.scroll <= widths.client + 1, `${name}: content is ${widths.scroll}px wide in a ${widths.client}px viewport`);
      } finally {
        await context.close();
      }
    }
  });

  test("the skip link is the first focus stop and shows a visible focus ring", async () => {
    const { context, page } = await load("/@alice");
    try {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        return { cls: el.className, outline: style.outlineStyle, width: style.outlineWidth, top: rect.top };
      });
      assert.equal(focused.cls, "skip-link");
      assert.notEqual(focused.outline, "none");
      assert.ok(focused.top >= 0, "the focused skip link is on screen");
    } finally {
      await context.close();
    }
  });

  test("a German browser gets the German profile page, and the language switch leads to English", async () => {
    const context = await browser.newContext({ locale: "de-DE" });
    const page = await context.newPage();
    try {
      const response = await page.goto(new URL("/@alice", instance.baseUrl).href, { waitUntil: "load" });
      assert.equal(await page.getAttribute("html", "lang"), "de");
      assert.equal(await page.textContent("#posts-heading"), "Beiträge");
      assert.match(response.headers()["vary"] ?? "", /Accept-Language/);
      // The English post inside the German page keeps its own language.
      assert.ok(await page.$(".e-content[lang=en]"), "the English post is marked lang=en");
      await Promise.all([page.waitForNavigation(), page.click("footer a[hreflang=en]")]);
      assert.equal(await page.getAttribute("html", "lang"), "en");
      assert.equal(await page.textContent("#posts-heading"), "Posts");
      assert.match(page.url(), /\?lang=en$/);
    } finally {
      await context.close();
    }
  });

  test("the remote-follow form sends a citizen to their own server", async () => {
    const { context, page } = await load("/@alice");
    try {
      await page.fill("#remote-acct", "@citizen@social.example.org");
      // The browser resolves no host but loopback (see launch), so following the redirect ends at a DNS error.
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.url().startsWith("https://social.example.org/")),
        page.click("form button[type=submit]", { noWaitAfter: true }),
      ]);
      assert.equal(
        request.url(),
        `https://social.example.org/authorize_interaction?uri=${encodeURIComponent(`${instance.baseUrl}/users/alice`)}`,
      );
    } finally {
      await context.close();
    }
  });
});
