// Follow interop: a real Fedify server (tests/interop/lib/fedify-peer.mjs)
// follows and unfollows a ServerlessFedi account, and the instance's inbox
// refuses unsigned, tampered and misattributed deliveries.
//
// Order matters; the tests share one instance and one peer:
//   1. peer follows alice (Fedify's own sendActivity, double-knocking) -> Accept; followers = 1
//   2. peer undoes the Follow                                           -> followers = 0
//   3. unsigned POST                                                     -> 401
//   4. a well-signed draft-cavage Follow from `other` is accepted (control, undone again),
//      then a tampered body and a key of another actor                  -> 401
//   5. one Follow (new id) delivered twice                              -> followers = 1
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { Follow, Undo } from "@fedify/vocab";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";

const AP = "application/activity+json";
const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
const POLL_MS = 200;
const POLL_TIMEOUT_MS = 30_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const logTail = (instance, lines = 60) =>
  instance.output().split("\n").slice(-lines).join("\n");

describe("follow", () => {
  let instance;
  let peer;
  let alice; // { username, actorUrl, acct }
  let aliceActor; // Fedify's parsed actor
  let peerActor; // URL
  let follow; // the Follow of test 1

  // Polls fn() until it returns a truthy value; fails with `describe()`'s
  // account of the last state and the instance's log tail.
  async function waitFor(what, fn, describeState = () => "") {
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    let lastError;
    while (Date.now() < deadline) {
      try {
        const value = await fn();
        if (value) return value;
        lastError = undefined;
      } catch (e) {
        lastError = e;
      }
      await sleep(POLL_MS);
    }
    let state = "";
    try {
      state = await describeState();
    } catch (e) {
      state = `(describing the state failed: ${e.message})`;
    }
    assert.fail(
      `timed out after ${POLL_TIMEOUT_MS} ms waiting for ${what}` +
        (lastError ? `\nlast error: ${lastError.message}` : "") +
        (state ? `\n${state}` : "") +
        `\n--- instance log tail (${instance.logFile}) ---\n${logTail(instance)}`,
    );
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { accept: AP } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  const followersUrl = () => `${alice.actorUrl}/followers`;
  const followers = () => getJson(followersUrl());
  async function followerPageItems() {
    const page = await getJson(`${followersUrl()}?page=1`);
    const items = page.orderedItems ?? page.items ?? [];
    return items.map((i) => (typeof i === "string" ? i : i?.id));
  }

  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
      `peer served: ${JSON.stringify(peer.requests.map(({ body, ...r }) => r))}`,
      `peer deliveries: ${JSON.stringify(peer.deliveries)}`,
    ].join("\n");

  // The object of an Accept, as a Follow id, whether embedded or referenced.
  const acceptedFollowId = (entry) => {
    const obj = entry.raw?.object;
    return typeof obj === "string" ? obj : (obj?.id ?? entry.objectId);
  };

  // Sends with Fedify's own delivery (no queue configured: immediate) and
  // reports which signature scheme the instance accepted.
  async function send(identifier, activity) {
    const ctx = peer.ctx();
    const first = peer.deliveries.length;
    const attempts = () => peer.deliveries.slice(first).filter((d) => d.url === aliceActor.inboxId.href);
    try {
      await ctx.sendActivity({ identifier }, aliceActor, activity);
    } finally {
      console.log(
        `# ${activity.constructor.name} ${activity.id.href} delivery attempts: ` +
          (attempts().map((d) => `${d.scheme} -> ${d.status}`).join(", ") || "none"),
      );
    }
    return attempts();
  }

  // A POST to alice's inbox, signed by hand with Fedify's signRequest.
  async function signedInboxPost(json, { identifier, keyId, spec = "draft-cavage-http-signatures-12" }) {
    const request = new Request(`${alice.actorUrl}/inbox`, {
      method: "POST",
      headers: { "content-type": AP, accept: AP },
      body: JSON.stringify(json),
    });
    return signRequest(request, peer.keys.get(identifier).rsa.privateKey, keyId ?? peer.keyId(identifier), { spec });
  }

  async function post(request) {
    const res = await fetch(request);
    const text = await res.text();
    return { status: res.status, text, contentType: res.headers.get("content-type") ?? "" };
  }

  const followJson = (actor, id) => ({
    "@context": AS_CONTEXT,
    id,
    type: "Follow",
    actor,
    object: alice.actorUrl,
  });

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({
      username: "alice",
      displayName: "Alice Agency",
      email: "alice@example.test",
      type: "Organization",
    });
    peer = await startFedifyPeer({ identifiers: ["peer", "other"] });
    peerActor = peer.actorUri("peer");
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("the Fedify peer serves its actor with both keys", async () => {
    const doc = await getJson(peerActor.href);
    assert.equal(doc.id, peerActor.href);
    assert.equal(doc.type, "Person");
    assert.equal(doc.inbox, `${peerActor.href}/inbox`);
    assert.equal(doc.endpoints?.sharedInbox, `${peer.origin}/inbox`);
    assert.equal(doc.publicKey?.id, `${peerActor.href}#main-key`);
    assert.match(doc.publicKey?.publicKeyPem ?? "", /BEGIN PUBLIC KEY/);
    const methods = [doc.assertionMethod].flat().filter(Boolean);
    assert.ok(methods.some((m) => m.type === "Multikey" && m.publicKeyMultibase?.startsWith("z6Mk")), JSON.stringify(methods));
  });

  test("a Fedify peer follows alice and receives an Accept it verifies", async () => {
    const ctx = peer.ctx();
    aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.ok(aliceActor?.id, "Fedify could not look up alice");
    assert.equal(aliceActor.id.href, alice.actorUrl);
    assert.equal(aliceActor.inboxId?.href, `${alice.actorUrl}/inbox`);

    follow = new Follow({
      id: new URL(`${peer.origin}/follows/1`),
      actor: ctx.getActorUri("peer"),
      object: aliceActor.id,
    });
    const attempts = await send("peer", follow);
    assert.ok(attempts.length > 0, "the peer made no delivery to alice's inbox");
    assert.ok(attempts.at(-1).status >= 200 && attempts.at(-1).status < 300, JSON.stringify(attempts));

    const accept = await waitFor(
      "an Accept of the Follow from alice in the peer's inbox",
      () =>
        peer.received.find(
          (r) => r.type === "Accept" && r.actorId === alice.actorUrl && acceptedFollowId(r) === follow.id.href,
        ),
      peerState,
    );
    console.log(
      `# Accept ${accept.id} reached ${accept.path} (recipient ${accept.recipient ?? "shared inbox"}), ` +
        `verified by Fedify; HTTP signature ${accept.scheme}, keyId ${accept.keyId}, object proof: ${accept.hasProof}`,
    );
    console.log(`# Accept as received: ${JSON.stringify(accept.raw)}`);
    assert.equal(accept.recipient === "peer" || accept.recipient === null, true);

    const collection = await waitFor(
      "followers totalItems 1",
      async () => {
        const c = await followers();
        return c.totalItems === 1 ? c : null;
      },
      async () => `followers: ${JSON.stringify(await followers())}`,
    );
    assert.equal(collection.type, "OrderedCollection");
    const items = await followerPageItems();
    assert.deepEqual(items, [peerActor.href]);
  });

  test("Undo(Follow) removes the follower", async () => {
    assert.ok(follow, "test 1 did not create the Follow");
    const undo = new Undo({
      id: new URL(`${peer.origin}/follows/1/undo`),
      actor: peerActor,
      object: follow,
    });
    const attempts = await send("peer", undo);
    assert.ok(attempts.at(-1)?.status >= 200 && attempts.at(-1)?.status < 300, JSON.stringify(attempts));
    await waitFor(
      "followers totalItems 0",
      async () => (await followers()).totalItems === 0,
      async () => `followers: ${JSON.stringify(await followers())}`,
    );
    assert.deepEqual(await followerPageItems(), []);
  });

  test("an unsigned request to the inbox is refused with 401", async () => {
    const res = await post(
      new Request(`${alice.actorUrl}/inbox`, {
        method: "POST",
        headers: { "content-type": AP, accept: AP },
        body: JSON.stringify(followJson(peerActor.href, `${peer.origin}/follows/unsigned`)),
      }),
    );
    console.log(`# unsigned -> ${res.status} ${res.contentType} ${res.text}`);
    assert.equal(res.status, 401, `expected 401, got ${res.status}: ${res.text}`);
    assert.match(res.contentType, /json/, `content-type ${res.contentType}`);
    assert.doesNotThrow(() => JSON.parse(res.text), `body is not JSON: ${res.text}`);
  });

  test("a tampered signed request is refused", async () => {
    const other = peer.actorUri("other").href;

    // Control: the same hand-signed draft-cavage path with an intact body is
    // accepted, so the 401s below are about the tampering.
    const controlFollow = followJson(other, `${peer.origin}/follows/other-1`);
    const control = await post(await signedInboxPost(controlFollow, { identifier: "other" }));
    assert.ok(control.status >= 200 && control.status < 300, `control: expected 2xx, got ${control.status}: ${control.text}`);
    await waitFor(
      "`other` among alice's followers",
      async () => (await followerPageItems()).includes(other),
      async () => `followers page: ${JSON.stringify(await followerPageItems())}\n${peerState()}`,
    );
    const controlUndo = {
      "@context": AS_CONTEXT,
      id: `${peer.origin}/follows/other-1/undo`,
      type: "Undo",
      actor: other,
      object: controlFollow,
    };
    const undone = await post(await signedInboxPost(controlUndo, { identifier: "other" }));
    assert.ok(undone.status >= 200 && undone.status < 300, `control undo: expected 2xx, got ${undone.status}: ${undone.text}`);
    await waitFor(
      "followers totalItems 0 after the control Undo",
      async () => (await followers()).totalItems === 0,
      async () => `followers: ${JSON.stringify(await followers())}`,
    );

    // Body replaced after signing: same actor, same length, other digest.
    for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"]) {
      const original = followJson(peerActor.href, `${peer.origin}/follows/t-a`);
      const replaced = followJson(peerActor.href, `${peer.origin}/follows/t-b`);
      const signed = await signedInboxPost(original, { identifier: "peer", spec });
      const body = JSON.stringify(replaced);
      assert.equal(body.length, JSON.stringify(original).length);
      const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body });
      const res = await post(tampered);
      console.log(`# ${spec}, body replaced after signing -> ${res.status} ${res.text}`);
      assert.equal(res.status, 401, `${spec} tampered body: expected 401, got ${res.status}: ${res.text}`);
    }

    // Signed with peer's key, but the activity claims to be by `other`.
    for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"]) {
      const misattributed = followJson(other, `${peer.origin}/follows/mis-${spec}`);
      const res = await post(
        await signedInboxPost(misattributed, { identifier: "peer", keyId: peer.keyId("peer"), spec }),
      );
      console.log(`# ${spec}, peer's key for other's activity -> ${res.status} ${res.text}`);
      assert.equal(res.status, 401, `${spec} key owner mismatch: expected 401, got ${res.status}: ${res.text}`);
    }

    // None of the refused requests may have had an effect.
    await sleep(2_000);
    assert.equal((await followers()).totalItems, 0);
    assert.deepEqual(await followerPageItems(), []);
  });

  test("the same Follow delivered twice has effect once", async () => {
    const twice = new Follow({
      id: new URL(`${peer.origin}/follows/2`),
      actor: peerActor,
      object: aliceActor.id,
    });
    const first = await send("peer", twice);
    const second = await send("peer", twice);
    for (const attempts of [first, second]) {
      assert.ok(attempts.at(-1)?.status >= 200 && attempts.at(-1)?.status < 300, JSON.stringify(attempts));
    }
    await waitFor(
      "an Accept of the twice-delivered Follow",
      () => peer.received.find((r) => r.type === "Accept" && acceptedFollowId(r) === twice.id.href),
      peerState,
    );
    await waitFor(
      "followers totalItems >= 1",
      async () => (await followers()).totalItems >= 1,
      async () => `followers: ${JSON.stringify(await followers())}`,
    );
    // Give the second delivery time to be processed, then count.
    await sleep(3_000);
    const accepts = peer.requests.filter(
      (r) => r.method === "POST" && r.body && (() => {
        try {
          const j = JSON.parse(r.body);
          return j.type === "Accept" && (j.object === twice.id.href || j.object?.id === twice.id.href);
        } catch {
          return false;
        }
      })(),
    );
    console.log(`# Accepts delivered for the twice-sent Follow: ${accepts.length}`);
    assert.equal((await followers()).totalItems, 1);
    assert.deepEqual(await followerPageItems(), [peerActor.href]);

    // A fresh Follow (new id) from an actor who already follows: still one
    // follower.  (Mastodon answers it with another Accept, so that a peer
    // that lost track of the first one stops waiting; only logged here.)
    const again = new Follow({
      id: new URL(`${peer.origin}/follows/3`),
      actor: peerActor,
      object: aliceActor.id,
    });
    const third = await send("peer", again);
    assert.ok(third.at(-1)?.status >= 200 && third.at(-1)?.status < 300, JSON.stringify(third));
    const reAccepted = await waitFor(
      "an Accept of a repeated Follow (new id), or 5 s",
      (() => {
        const start = Date.now();
        return () =>
          peer.received.find((r) => r.type === "Accept" && acceptedFollowId(r) === again.id.href) ??
          (Date.now() - start > 5_000 ? "none" : null);
      })(),
    );
    console.log(`# Accept of a repeated Follow from an existing follower: ${reAccepted === "none" ? "none within 5 s" : reAccepted.id}`);
    await sleep(1_000);
    assert.equal((await followers()).totalItems, 1);
    assert.deepEqual(await followerPageItems(), [peerActor.href]);
  });
});
