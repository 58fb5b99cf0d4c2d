// Posting interop: alice posts and deletes through the client API, and a
// real Fedify server (tests/interop/lib/fedify-peer.mjs) that follows her
// receives the signed Create(Note) and Delete(Tombstone), and reads the Note
// back with its own lookupObject.
//
// Order matters; the tests share one instance and one peer:
//   1. peer follows alice                                      -> Accept; followers = 1
//   2. alice posts a public status                             -> peer gets Create(Note)
//   3. Fedify's lookupObject reads the Note                    -> Note attributed to alice
//   4. alice deletes it                                        -> peer gets Delete; Note answers 410
//   5. a direct status mentioning nobody, then a public one    -> only the public one is delivered
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getDocumentLoader } from "@fedify/fedify";
import { Follow, Hashtag, lookupObject, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { api, sleep, waitFor as waitForOn } from "../lib/poll.mjs";

const AP = "application/activity+json";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

// Loopback is a private address, which Fedify refuses by default.
const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
const loaders = { documentLoader, contextLoader: documentLoader };

// The object of an activity as received: an id, embedded or referenced.
const objectIdOf = (entry) => {
  const obj = entry.raw?.object;
  return typeof obj === "string" ? obj : (obj?.id ?? entry.objectId);
};
const asArray = (v) => (v == null ? [] : Array.isArray(v) ? v : [v]);

describe("posting", () => {
  let instance;
  let peer;
  let alice; // { username, actorUrl, acct }
  let token;
  let note; // the API status of test 2

  const waitFor = (...args) => waitForOn(instance, ...args);
  const followersUrl = () => `${alice.actorUrl}/followers`;

  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
      `peer served: ${JSON.stringify(peer.requests.map(({ body, ...r }) => r))}`,
    ].join("\n");

  const receivedCreateOf = (uri) =>
    peer.received.find((r) => r.type === "Create" && objectIdOf(r) === uri);

  async function postStatus(params) {
    const res = await api(instance, token, "POST", "/api/v1/statuses", params);
    assert.equal(res.status, 200, `POST /api/v1/statuses ${JSON.stringify(params)} -> ${res.status}: ${res.text}`);
    assert.ok(res.json?.id && res.json?.uri, `no id/uri in ${res.text}`);
    return res.json;
  }

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    token = await instance.createToken("alice", "read write");
    peer = await startFedifyPeer({ identifiers: ["peer"] });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("a Fedify peer follows alice and receives the Accept", async () => {
    const ctx = peer.ctx();
    const aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.ok(aliceActor?.id, "Fedify could not look up alice");
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/1`),
      actor: ctx.getActorUri("peer"),
      object: aliceActor.id,
    });
    await ctx.sendActivity({ identifier: "peer" }, aliceActor, follow);
    await waitFor(
      "an Accept of the Follow from alice in the peer's inbox",
      () =>
        peer.received.find(
          (r) => r.type === "Accept" && r.actorId === alice.actorUrl && objectIdOf(r) === follow.id.href,
        ),
      peerState,
    );
    await waitFor("followers totalItems 1", async () => {
      const res = await fetch(followersUrl(), { headers: { accept: AP } });
      return res.status === 200 && (await res.json()).totalItems === 1;
    });
  });

  test("a public status reaches the peer as a signed Create(Note)", async () => {
    note = await postStatus({ status: "Hello from the agency #Fediverse", visibility: "public", language: "en" });
    console.log(`# posted ${note.id} uri ${note.uri}`);
    assert.equal(note.visibility, "public");
    assert.equal(note.language, "en");
    assert.equal(note.uri, `${alice.actorUrl}/statuses/${note.id}`);

    const create = await waitFor("a Create of the Note in the peer's inbox", () => receivedCreateOf(note.uri), peerState);
    console.log(
      `# Create ${create.id} reached ${create.path}, verified by Fedify; ` +
        `HTTP signature ${create.scheme}, keyId ${create.keyId}, object proof: ${create.hasProof}`,
    );
    console.log(`# Create as received: ${JSON.stringify(create.raw)}`);
    assert.equal(create.actorId, alice.actorUrl);
    assert.equal(create.keyId, `${alice.actorUrl}#main-key`);
    assert.equal(create.scheme, "draft-cavage");
    const served = peer.requests.find((r) => r.method === "POST" && r.body?.includes(create.id));
    assert.ok(served?.status >= 200 && served.status < 300, `the peer answered ${served?.status} to the Create`);
    assert.ok(
      !peer.unverified.some((u) => u.id === create.id),
      `Fedify refused a delivery of the Create: ${JSON.stringify(peer.unverified)}`,
    );

    const obj = create.raw.object;
    assert.equal(typeof obj, "object", `the Create's object is not embedded: ${JSON.stringify(obj)}`);
    assert.equal(obj.type, "Note");
    assert.equal(obj.id, note.uri);
    assert.equal(obj.attributedTo, alice.actorUrl);
    assert.match(obj.content ?? "", /Hello from the agency/);
    assert.ok(asArray(obj.to).includes(PUBLIC), `to: ${JSON.stringify(obj.to)}`);
    assert.ok(asArray(obj.cc).includes(followersUrl()), `cc: ${JSON.stringify(obj.cc)}`);
    const tags = asArray(obj.tag);
    const hashtag = tags.find((t) => t?.type === "Hashtag");
    assert.ok(hashtag, `no Hashtag in tag: ${JSON.stringify(obj.tag)}`);
    assert.match(hashtag.name ?? "", /^#fediverse$/i);
    assert.ok(asArray(create.raw.to).includes(PUBLIC), `Create to: ${JSON.stringify(create.raw.to)}`);
  });

  test("Fedify's lookupObject reads the Note attributed to alice", async () => {
    assert.ok(note, "test 2 did not post");
    const obj = await lookupObject(note.uri, loaders);
    assert.ok(obj instanceof Note, `expected Note, got ${obj?.constructor?.name}`);
    assert.equal(obj.id?.href, note.uri);
    assert.equal(obj.attributionId?.href, alice.actorUrl);
    assert.match(String(obj.content ?? ""), /Hello from the agency/);
    assert.ok(obj.toIds.some((u) => u.href === PUBLIC_COLLECTION.href), `to: ${obj.toIds.map((u) => u.href)}`);
    assert.ok(obj.ccIds.some((u) => u.href === followersUrl()), `cc: ${obj.ccIds.map((u) => u.href)}`);
    const tags = [];
    for await (const tag of obj.getTags(loaders)) tags.push(tag);
    assert.ok(tags.some((t) => t instanceof Hashtag), `tags: ${tags.map((t) => t.constructor.name)}`);
    assert.ok(obj.published, "no published date");

    const outbox = await fetch(`${alice.actorUrl}/outbox?page=true`, { headers: { accept: AP } });
    assert.equal(outbox.status, 200);
    const page = await outbox.json();
    const items = page.orderedItems ?? page.items ?? [];
    assert.ok(
      items.some((i) => i?.type === "Create" && (i.object === note.uri || i.object?.id === note.uri)),
      `the outbox page lists no Create of ${note.uri}: ${JSON.stringify(page)}`,
    );
  });

  test("deleting the status sends a Delete and leaves a 410", async () => {
    assert.ok(note, "test 2 did not post");
    const res = await api(instance, token, "DELETE", `/api/v1/statuses/${note.id}`);
    assert.equal(res.status, 200, `DELETE -> ${res.status}: ${res.text}`);
    assert.equal(res.json?.id, note.id);
    assert.equal(res.json?.text, "Hello from the agency #Fediverse");

    const del = await waitFor(
      "a Delete of the Note in the peer's inbox",
      () => peer.received.find((r) => r.type === "Delete" && objectIdOf(r) === note.uri),
      peerState,
    );
    console.log(`# Delete as received (${del.scheme}, keyId ${del.keyId}): ${JSON.stringify(del.raw)}`);
    assert.equal(del.actorId, alice.actorUrl);
    if (typeof del.raw.object === "object") assert.equal(del.raw.object.type, "Tombstone");

    const gone = await fetch(note.uri, { headers: { accept: AP } });
    const body = await gone.text();
    assert.equal(gone.status, 410, `GET ${note.uri} -> ${gone.status}: ${body}`);
    const afterDelete = await api(instance, token, "GET", `/api/v1/statuses/${note.id}`);
    assert.equal(afterDelete.status, 404, `GET /api/v1/statuses/${note.id} -> ${afterDelete.status}`);
  });

  test("a direct status mentioning nobody is not delivered", async () => {
    const direct = await postStatus({ status: "Just a note to myself", visibility: "direct" });
    assert.equal(direct.visibility, "direct");
    const marker = await postStatus({ status: "Public marker after the direct one", visibility: "public" });
    await waitFor("a Create of the public marker status", () => receivedCreateOf(marker.uri), peerState);
    await sleep(3_000);
    const leaked = peer.requests.filter((r) => r.method === "POST" && r.body?.includes(direct.uri));
    assert.deepEqual(leaked, [], `the direct status reached the peer: ${JSON.stringify(leaked)}`);
    assert.equal(receivedCreateOf(direct.uri), undefined);

    // Nor is it readable by anyone else.
    const anonymous = await fetch(direct.uri, { headers: { accept: AP } });
    await anonymous.arrayBuffer();
    console.log(`# anonymous GET of the direct Note -> ${anonymous.status}`);
    assert.ok(anonymous.status === 404 || anonymous.status === 401 || anonymous.status === 403, `${anonymous.status}`);
  });
});
