// Migration interop with a real Fedify server (tests/interop/lib/fedify-peer.mjs,
// acceptFollows): an account on the peer moves to a local account, and a local
// account moves to an account on the peer.
//
// Order matters; the tests share one instance and one peer:
//   1. bob (local) follows peer's `old` (Accept from the peer); carol (local) aliases `old`
//      through the admin CLI; `old` sends Move(target carol) to its followers
//      -> bob follows carol, and the peer receives bob's Undo(Follow) of `old`
//   2. peer's `fan` follows alice (local); peer's `new` lists alice in alsoKnownAs;
//      `admin account move --username alice --to <new>` -> the peer receives a verified
//      Move(alice -> new) and alice's actor has movedTo
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Follow, Move } from "@fedify/vocab";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { api, waitFor as waitForOn } from "../lib/poll.mjs";

const AP = "application/activity+json";

describe("migration", () => {
  let instance;
  let peer;
  let alice;
  let bob;
  let carol;
  let bobToken;

  const waitFor = (what, fn, describeState) => waitForOn(instance, what, fn, describeState);
  const peerState = () => `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`;

  async function getJson(url) {
    const res = await fetch(url, { headers: { accept: AP } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    bob = await instance.createAccount({ username: "bob" });
    carol = await instance.createAccount({ username: "carol" });
    bobToken = await instance.createToken("bob", "read write follow");
    peer = await startFedifyPeer({ identifiers: ["old", "fan", "new"], acceptFollows: true, aliases: new Map([["new", [alice.actorUrl]]]) });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("a Move of the peer's account to a local account that aliases it moves the local follower", async () => {
    const oldAcct = `old@${new URL(peer.origin).host}`;
    const found = await api(instance, bobToken, "GET", `/api/v1/accounts/lookup?acct=${encodeURIComponent(oldAcct)}`);
    assert.equal(found.status, 200, JSON.stringify(found));
    const oldId = found.json.id;
    const followed = await api(instance, bobToken, "POST", `/api/v1/accounts/${oldId}/follow`);
    assert.equal(followed.status, 200, JSON.stringify(followed));
    await waitFor("bob's follow of old accepted", async () =>
      (await api(instance, bobToken, "GET", `/api/v1/accounts/relationships?id[]=${oldId}`)).json[0]?.following, peerState);
    await waitFor("bob among old's followers on the peer", () => peer.followers.get("old").has(bob.actorUrl), peerState);

    await instance.cli("admin", "account", "alias", "add", "--username", "carol", "--alias", `@${oldAcct}`);
    const carolDoc = await getJson(carol.actorUrl);
    assert.deepEqual(carolDoc.alsoKnownAs, [peer.actorUri("old").href]);

    const ctx = peer.ctx();
    const move = new Move({
      id: new URL(`${peer.origin}/moves/old-to-carol`),
      actor: ctx.getActorUri("old"),
      object: ctx.getActorUri("old"),
      target: new URL(carol.actorUrl),
    });
    await ctx.sendActivity({ identifier: "old" }, "followers", move);

    const carolAccount = await api(instance, bobToken, "GET", "/api/v1/accounts/lookup?acct=carol");
    await waitFor("bob following carol", async () =>
      (await api(instance, bobToken, "GET", `/api/v1/accounts/relationships?id[]=${carolAccount.json.id}`)).json[0]?.following, peerState);
    await waitFor("bob's Undo(Follow) of old at the peer", () =>
      peer.received.find((r) => r.type === "Undo" && r.actorId === bob.actorUrl), peerState);
    const oldShown = await api(instance, bobToken, "GET", `/api/v1/accounts/${oldId}`);
    assert.equal(oldShown.json.moved?.id, carolAccount.json.id, oldShown.text);
  });

  test("admin account move sends a Move that reaches the follower on the peer", async () => {
    const ctx = peer.ctx();
    const aliceActor = await ctx.lookupObject(alice.actorUrl);
    await ctx.sendActivity({ identifier: "fan" }, aliceActor, new Follow({
      id: new URL(`${peer.origin}/follows/fan-alice`),
      actor: ctx.getActorUri("fan"),
      object: aliceActor.id,
    }));
    await waitFor("alice's Accept at the peer", () =>
      peer.received.find((r) => r.type === "Accept" && r.actorId === alice.actorUrl), peerState);

    await instance.cli("admin", "account", "move", "--username", "alice", "--to", peer.actorUri("new").href);

    const received = await waitFor("a verified Move from alice at the peer", () =>
      peer.received.find((r) => r.type === "Move" && r.actorId === alice.actorUrl), peerState);
    console.log(`# Move as received: ${JSON.stringify(received.raw)}`);
    assert.equal(received.raw.object, alice.actorUrl);
    assert.equal(received.raw.target, peer.actorUri("new").href);
    assert.equal((await getJson(alice.actorUrl)).movedTo, peer.actorUri("new").href);
  });
});
