// Link preview cards with masto.js: alice posts a link to an article on a web site on 127.0.0.1 (lib/card-site.mjs;
// the interop instance admits loopback, as Fedi__AllowPrivateNetworks does in every test; never private ranges); the instance
// fetches the page once in its media queue, stores the image, and masto.js reads the card with the image served from
// this instance's media URL. A page whose og:image names a private address gets a card without an image, and nothing
// is fetched from there.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient } from "masto";
import { article, serveArticle, siteUrl } from "../lib/card-site.mjs";
import { startHostileServer } from "../lib/hostile-server.mjs";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

describe("link preview cards through masto.js", () => {
  let instance;
  let site;
  let masto;

  const waitFor = (...args) => waitForOn(instance, ...args);
  const siteState = () => `site served: ${JSON.stringify(site.requests)}`;
  const cardOf = (id, what) => waitFor(what, async () => (await masto.v1.statuses.$select(id).fetch()).card, siteState);
  const hits = (path) => site.requests.filter((r) => r.url === path).length;

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("alice", "read write"), timeout: 30_000 });
    site = await startHostileServer();
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); site ${site.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await site?.stop();
    await instance?.stop();
  });

  test("a status linking to an article gets its card, the image served by this instance", async () => {
    const url = serveArticle(site, "/article");
    const status = await masto.v1.statuses.create({ status: `Die Pegel steigen: ${url}`, language: "de" });
    assert.equal(status.card ?? null, null, "the card comes from the queue, not within the request");
    const card = await cardOf(status.id, "the card of alice's status");
    assert.equal(card.url, url);
    assert.equal(card.title, article.title);
    assert.equal(card.description, article.description);
    assert.equal(card.providerName, article.siteName);
    assert.equal(card.type, "link");
    assert.equal(card.imageDescription, article.imageAlt);
    assert.ok(card.image?.startsWith(`${instance.baseUrl}/`), `card image ${card.image} is not this instance's`);
    assert.ok(card.width > 0 && card.height > 0 && card.blurhash, JSON.stringify(card));
    const image = await fetch(card.image);
    assert.equal(image.status, 200);
    assert.match(image.headers.get("content-type") ?? "", /^image\//);
    assert.ok((await image.arrayBuffer()).byteLength > 0);
    assert.equal(hits("/article"), 1, siteState());
    assert.equal(hits("/article.jpg"), 1, siteState());
  });

  test("a second status with the same link reuses the card without fetching the page again", async () => {
    const url = siteUrl(site, "/article");
    const status = await masto.v1.statuses.create({ status: `Nochmals: ${url}`, language: "de" });
    const card = await cardOf(status.id, "the card of the second status");
    assert.equal(card.title, article.title);
    assert.equal(hits("/article"), 1, siteState());
    assert.equal(hits("/article.jpg"), 1, siteState());
  });

  test("a page whose og:image names a private address gets a card without an image", async () => {
    const url = serveArticle(site, "/private-image", { image: "http://10.0.0.1/internal.jpg" });
    const status = await masto.v1.statuses.create({ status: `Siehe ${url}`, language: "de" });
    const card = await cardOf(status.id, "the card of the page with a private image");
    assert.equal(card.title, article.title);
    assert.equal(card.image ?? null, null);
    assert.equal(card.imageDescription, "");
  });
});
