// Security interop (issue 11, findings 1-3): a hand-written hostile server on
// loopback (lib/hostile-server.mjs, signing with keys of its own) attacks the
// running instance, and every effect is read back through the client API.
//
//   1. a remote note whose id is chosen so that its derived snowflake equals
//      alice's post (16 bits brute-forced) is stored apart; its Update and
//      Delete touch only it, and alice's post stays hers
//   2. documents a server merely hosts (an upload under another id or with a
//      non-ActivityPub media type, or what an open redirect leads to) do not
//      lend that server's actors a key: the impostor's Follow gets 401
//   3. an actor claiming another server's key id, then deleting itself, does
//      not lock the key's owner out
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { AP, rsaKeyPair, startHostileServer } from "../lib/hostile-server.mjs";
import { startInstance } from "../lib/instance.mjs";
import { api, waitFor as waitForOn } from "../lib/poll.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

// An object id under `prefix` whose SHA-256 starts (little-endian) with the 16 sequence bits of `statusId`.
function collidingId(prefix, statusId) {
  const sequence = Number(BigInt(statusId) & 0xffffn);
  for (let n = 0; ; n++) {
    const candidate = `${prefix}${n}`;
    if (createHash("sha256").update(candidate).digest().readUInt16LE(0) === sequence) return candidate;
  }
}

describe("hostile remote server", () => {
  let instance;
  let evil; // the attacker's server
  let other; // a second server: the victim of key poisoning, the target of an open redirect
  let alice;
  let token;
  let next = 0;

  const waitFor = (...args) => waitForOn(instance, ...args);
  const inbox = (username) => `${instance.baseUrl}/users/${username}/inbox`;
  const followersOf = async (username) => {
    const res = await fetch(`${instance.baseUrl}/users/${username}/followers`, { headers: { accept: AP } });
    return (await res.json()).totalItems;
  };
  const follow = (actorId, username) => ({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actorId}#follows/${++next}`,
    type: "Follow",
    actor: actorId,
    object: `${instance.baseUrl}/users/${username}`,
  });

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    token = await instance.createToken("alice", "read write follow");
    evil = await startHostileServer();
    other = await startHostileServer();
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); hostile ${evil.origin}, ${other.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await evil?.stop();
    await other?.stop();
    await instance?.stop();
  });

  test("a remote note aimed at alice's post id is stored apart; its Update and Delete leave the post alone", async () => {
    const posted = await api(instance, token, "POST", "/api/v1/statuses", { status: "Road works on Main Street until Friday" });
    assert.equal(posted.status, 200, posted.text);
    const postId = posted.json.id;
    const assertPostIntact = async (when) => {
      const res = await api(instance, token, "GET", `/api/v1/statuses/${postId}`);
      assert.equal(res.status, 200, `${when}: ${res.text}`);
      assert.equal(res.json.account.username, "alice", `${when}: the post changed hands`);
      assert.match(res.json.content, /Road works on Main Street/, `${when}: the post's content changed`);
      assert.equal(res.json.uri, `${alice.actorUrl}/statuses/${postId}`, when);
    };

    const mallory = evil.actor("mallory");
    const noteId = collidingId(`${mallory.id}/statuses/`, postId);
    const published = new Date(Number(BigInt(postId) >> 16n)).toISOString(); // the post's millisecond
    const note = (content, extra = {}) => ({
      id: noteId,
      type: "Note",
      attributedTo: mallory.id,
      to: [PUBLIC],
      cc: [alice.actorUrl],
      tag: [{ type: "Mention", href: alice.actorUrl, name: "@alice" }],
      content,
      published,
      ...extra,
    });
    const activity = (type, object) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${mallory.id}#${type.toLowerCase()}/${++next}`,
      type,
      actor: mallory.id,
      object,
    });
    const signer = { keyId: mallory.keyId, privateKey: mallory.keys.privateKey };

    const created = await evil.post(`${instance.baseUrl}/inbox`, activity("Create", note("<p>Main Street is closed for good</p>")), signer);
    assert.equal(created.status, 202, created.text);
    const mention = await waitFor("the mention of alice", async () => {
      const res = await api(instance, token, "GET", "/api/v1/notifications?types[]=mention");
      return res.json?.find((n) => n.status?.uri === noteId);
    });
    const remoteId = mention.status.id;
    assert.notEqual(remoteId, postId, "the remote note got the local post's id");
    assert.equal(BigInt(remoteId) >> 16n, BigInt(postId) >> 16n, "the remote note keeps its published millisecond");
    await assertPostIntact("after the Create");

    const edited = note("<p>Main Street reopens on Monday</p>", { updated: new Date(Date.parse(published) + 60_000).toISOString() });
    assert.equal((await evil.post(`${instance.baseUrl}/inbox`, activity("Update", edited), signer)).status, 202);
    await waitFor("the remote note's edit", async () => {
      const res = await api(instance, token, "GET", `/api/v1/statuses/${remoteId}`);
      return /reopens/.test(res.json?.content ?? "");
    });
    await assertPostIntact("after the Update");

    assert.equal((await evil.post(`${instance.baseUrl}/inbox`, activity("Delete", noteId), signer)).status, 202);
    await waitFor("the remote note's deletion", async () => (await api(instance, token, "GET", `/api/v1/statuses/${remoteId}`)).status === 404);
    await assertPostIntact("after the Delete");
  });

  test("documents a server merely hosts do not lend its actors a key", async () => {
    const victim = evil.actor("victim");
    const forger = rsaKeyPair();

    // An upload on the victim's server, served as ActivityPub, whose id is the victim's.
    const uploadKey = `${evil.origin}/media/upload.json#main-key`;
    evil.serve("/media/upload.json", { ...victim.document, publicKey: { id: uploadKey, owner: victim.id, publicKeyPem: forger.publicKey } });
    const asVictim = await evil.post(inbox("alice"), follow(victim.id, "alice"), { keyId: uploadKey, privateKey: forger.privateKey });
    assert.equal(asVictim.status, 401, `impersonation through an upload: ${asVictim.text}`);

    // An upload that is an actor of its own, served as text/plain (as an uploaded file would be).
    const uploaded = `${evil.origin}/media/actor.json`;
    evil.serve("/media/actor.json", evil.actorDocument(uploaded, forger), "text/plain");
    const asUpload = await evil.post(inbox("alice"), follow(uploaded, "alice"), { keyId: `${uploaded}#main-key`, privateKey: forger.privateKey });
    assert.equal(asUpload.status, 401, `an actor served as text/plain: ${asUpload.text}`);

    // An open redirect on the victim's server leading to a document another server serves under the victim's URL.
    const redirected = `${evil.origin}/go/elsewhere`;
    evil.redirect("/go/elsewhere", `${other.origin}/forged`);
    other.serve("/forged", evil.actorDocument(redirected, forger));
    const asRedirect = await evil.post(inbox("alice"), follow(redirected, "alice"), { keyId: `${redirected}#main-key`, privateKey: forger.privateKey });
    assert.equal(asRedirect.status, 401, `an actor brought by a redirect: ${asRedirect.text}`);
    assert.ok(other.requests.some((r) => r.url === "/forged"), "the redirect was followed and judged by its target's origin");

    // The genuine victim, signing with its own key, is unharmed.
    const genuine = await evil.post(inbox("alice"), follow(victim.id, "alice"), { keyId: victim.keyId, privateKey: victim.keys.privateKey });
    assert.equal(genuine.status, 202, genuine.text);
    await waitFor("the genuine follow", async () => (await followersOf("alice")) === 1);
    const page = await (await fetch(`${alice.actorUrl}/followers?page=1`, { headers: { accept: AP } })).json();
    assert.deepEqual(page.orderedItems, [victim.id]);
  });

  test("an actor that claims another server's key id and deletes itself does not lock that server out", async () => {
    await instance.createAccount({ username: "carol" });
    const bob = other.actor("bob");
    const eve = evil.actor("eve", (d) => ({
      ...d,
      assertionMethod: [{ id: bob.keyId, type: "Multikey", controller: d.id, publicKeyMultibase: "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp" }],
    }));

    const eveFollows = await evil.post(inbox("carol"), follow(eve.id, "carol"), { keyId: eve.keyId, privateKey: eve.keys.privateKey });
    assert.equal(eveFollows.status, 202, eveFollows.text);
    await waitFor("eve's follow", async () => (await followersOf("carol")) === 1);
    const deleted = await evil.post(`${instance.baseUrl}/inbox`, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${eve.id}#delete`,
      type: "Delete",
      actor: eve.id,
      object: eve.id,
      to: [PUBLIC],
    }, { keyId: eve.keyId, privateKey: eve.keys.privateKey });
    assert.equal(deleted.status, 202, deleted.text);
    await waitFor("eve's deletion removing her follow", async () => (await followersOf("carol")) === 0);

    const bobFollows = await other.post(inbox("carol"), follow(bob.id, "carol"), { keyId: bob.keyId, privateKey: bob.keys.privateKey });
    assert.equal(bobFollows.status, 202, `bob's own key: ${bobFollows.text}`);
    await waitFor("bob's follow", async () => (await followersOf("carol")) === 1);
  });
});
