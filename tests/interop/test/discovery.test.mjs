// Discovery interop: WebFinger, actor document and NodeInfo of a running
// ServerlessFedi instance, read through Fedify (an independent ActivityPub
// implementation).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getDocumentLoader, parseNodeInfo } from "@fedify/fedify";
import { CryptographicKey, lookupObject, Multikey, Organization } from "@fedify/vocab";
import { lookupWebFinger } from "@fedify/webfinger";
import { startInstance } from "../lib/instance.mjs";

// Loopback is a private address, which Fedify refuses by default.
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const loaders = { documentLoader, contextLoader: documentLoader };

// Fedify builds the WebFinger URL for an acct: resource as
// https://<host>/.well-known/webfinger (RFC 7033 requires https), with no
// option to change the scheme, while the test instance only speaks http.
// So, for the duration of one call, fetch() sees https://<our host>/...
// rewritten to http://; the request itself and the JRD handling are Fedify's.
async function withHttpForHost(host, fn) {
  const realFetch = globalThis.fetch;
  const httpsPrefix = `https://${host}/`;
  let rewritten = 0;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(httpsPrefix)) {
      rewritten++;
      const httpUrl = `http://${host}/${url.slice(httpsPrefix.length)}`;
      return realFetch(input instanceof Request ? new Request(httpUrl, input) : httpUrl, init);
    }
    return realFetch(input, init);
  };
  try {
    const result = await fn();
    assert.ok(rewritten > 0, "Fedify did not query our host's WebFinger endpoint");
    return result;
  } finally {
    globalThis.fetch = realFetch;
  }
}

describe("discovery", () => {
  let instance;
  let alice;

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({
      username: "alice",
      displayName: "Alice Agency",
      email: "alice@example.test",
      type: "Organization",
    });
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("Fedify's lookupWebFinger resolves acct:alice to her actor", async () => {
    const jrd = await withHttpForHost(instance.host, () =>
      lookupWebFinger(alice.acct, { allowPrivateAddress: true }));
    assert.ok(jrd, "lookupWebFinger returned null");
    assert.match(jrd.subject ?? "", /^acct:alice@/i);
    const links = jrd.links ?? [];
    const self = links.find((l) => l.rel === "self" && l.type === "application/activity+json");
    assert.ok(self, `no self link of type application/activity+json in ${JSON.stringify(links)}`);
    assert.equal(self.href, alice.actorUrl);
    const profile = links.find((l) => l.rel === "http://webfinger.net/rel/profile-page");
    assert.ok(profile?.href, "no profile-page link with an href");
    assert.ok(profile.href.startsWith(instance.baseUrl), profile.href);
    const subscribe = links.find((l) => l.rel === "http://ostatus.org/schema/1.0/subscribe");
    assert.ok(subscribe?.template, "no subscribe link with a template");
    assert.ok(subscribe.template.startsWith(instance.baseUrl), subscribe.template);
    assert.ok(subscribe.template.includes("{uri}"), subscribe.template);
  });

  test("Fedify's lookupWebFinger gets null for an unknown account", async () => {
    const jrd = await withHttpForHost(instance.host, () =>
      lookupWebFinger(`acct:nobody@${instance.host}`, { allowPrivateAddress: true }));
    assert.equal(jrd, null);
  });

  test("WebFinger answers 404 for an unknown account", async () => {
    const resource = encodeURIComponent(`acct:nobody@${instance.host}`);
    const res = await fetch(`${instance.baseUrl}/.well-known/webfinger?resource=${resource}`);
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });

  test("WebFinger answers 400 for a missing or malformed resource", async () => {
    for (const query of ["", "?resource=", "?resource=%3A%3A%3A"]) {
      const res = await fetch(`${instance.baseUrl}/.well-known/webfinger${query}`);
      await res.arrayBuffer();
      assert.equal(res.status, 400, `GET /.well-known/webfinger${query}`);
    }
  });

  test("Fedify's lookupObject parses alice as an Organization with keys", async () => {
    const actor = await lookupObject(alice.actorUrl, loaders);
    assert.ok(actor instanceof Organization, `expected Organization, got ${actor?.constructor?.name}`);
    assert.equal(actor.id?.href, alice.actorUrl);
    assert.equal(actor.preferredUsername, "alice");
    assert.equal(actor.name, "Alice Agency");
    assert.equal(actor.inboxId?.href, `${alice.actorUrl}/inbox`);
    assert.equal(actor.outboxId?.href, `${alice.actorUrl}/outbox`);
    assert.equal(actor.followersId?.href, `${alice.actorUrl}/followers`);
    assert.equal(actor.followingId?.href, `${alice.actorUrl}/following`);
    assert.equal(actor.endpoints?.sharedInbox?.href, `${instance.baseUrl}/inbox`);

    const key = await actor.getPublicKey(loaders);
    assert.ok(key instanceof CryptographicKey, "no publicKey");
    assert.ok(key.publicKey instanceof CryptoKey, "publicKey is not a usable key");
    assert.equal(key.publicKey.type, "public");
    assert.equal(key.publicKey.algorithm.name, "RSASSA-PKCS1-v1_5");
    assert.equal(key.ownerId?.href, alice.actorUrl);

    const multikeys = [];
    for await (const mk of actor.getAssertionMethods(loaders)) multikeys.push(mk);
    const ed25519 = multikeys.find((mk) => mk.publicKey?.algorithm.name === "Ed25519");
    // JSON-LD drops assertionMethod/Multikey unless the actor's @context
    // defines them (Fedify itself emits https://www.w3.org/ns/did/v1 and
    // https://w3id.org/security/multikey/v1 for that).
    assert.ok(
      ed25519 instanceof Multikey,
      `no Ed25519 Multikey among ${multikeys.length} assertion methods (ids: ${actor.assertionMethodIds.map((u) => u.href).join(", ") || "none"})`,
    );
    assert.ok(ed25519.publicKey instanceof CryptoKey);
    assert.equal(ed25519.controllerId?.href, alice.actorUrl);
  });

  test("NodeInfo 2.0 and 2.1 are discoverable and valid", async () => {
    const res = await fetch(`${instance.baseUrl}/.well-known/nodeinfo`);
    assert.equal(res.status, 200);
    const { links } = await res.json();
    const href = (version) =>
      links?.find((l) => l.rel === `http://nodeinfo.diaspora.software/ns/schema/${version}`)?.href;
    assert.ok(href("2.0"), "no NodeInfo 2.0 link");
    assert.ok(href("2.1"), "no NodeInfo 2.1 link");

    // Fedify's getNodeInfo() refuses loopback addresses, so fetch the
    // document ourselves and validate it with Fedify's strict parser.
    for (const version of ["2.0", "2.1"]) {
      const docRes = await fetch(href(version));
      assert.equal(docRes.status, 200, `NodeInfo ${version}`);
      const raw = await docRes.json();
      assert.equal(raw.version, version);
      const info = parseNodeInfo(raw);
      assert.ok(info, `Fedify's parseNodeInfo rejected NodeInfo ${version}: ${JSON.stringify(raw)}`);
      assert.equal(info.software.name, "serverlessfedi");
      assert.ok(info.protocols.includes("activitypub"));
      assert.equal(info.openRegistrations, false);
      assert.ok(info.usage.users.total >= 1, `usage.users.total = ${info.usage.users.total}`);
    }
  });
});
