// Object integrity proofs (FEP-8b32, eddsa-jcs-2022) against a real Fedify
// server (tests/interop/lib/fedify-peer.mjs), in both directions.
//
// Our activities: the Accept and the Create(Note) the peer receives carry a
// proof made with alice's Ed25519 assertionMethod key.  To show that Fedify
// verified the proof itself (it falls back to the HTTP signature when a proof
// fails), each is posted again to the peer's inbox with NO HTTP signature:
// Fedify admits it on the proof alone, and refuses a tampered copy with 401.
//
// The peer's activities: a Follow signed with Fedify's own signObject by
// `writer` is forwarded to alice's inbox under the HTTP signature of `relay`;
// the instance admits it on the proof, and refuses it once its body changed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signObject, signRequest } from "@fedify/fedify";
import { Follow } from "@fedify/vocab";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { api, waitFor as waitForOn } from "../lib/poll.mjs";

const AP = "application/activity+json";
const DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v1";

const objectIdOf = (entry) => {
  const obj = entry.raw?.object;
  return typeof obj === "string" ? obj : (obj?.id ?? entry.objectId);
};

describe("object integrity proofs", () => {
  let instance;
  let peer;
  let alice;
  let token;

  const waitFor = (...args) => waitForOn(instance, ...args);
  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
    ].join("\n");

  // POSTs a body to the peer's shared inbox without any HTTP signature.
  async function postUnsigned(json) {
    const res = await fetch(`${peer.origin}/inbox`, {
      method: "POST",
      headers: { "content-type": AP, accept: AP },
      body: JSON.stringify(json),
    });
    return { status: res.status, text: await res.text() };
  }

  // The proof must be ours, and Fedify must admit the activity on it alone.
  async function assertPeerVerifiesProofAlone(entry, what) {
    const proof = entry.raw?.proof;
    assert.ok(proof, `${what} arrived without a proof: ${JSON.stringify(entry.raw)}`);
    assert.equal(proof.type, "DataIntegrityProof");
    assert.equal(proof.cryptosuite, "eddsa-jcs-2022");
    assert.equal(proof.proofPurpose, "assertionMethod");
    assert.equal(proof.verificationMethod, `${alice.actorUrl}#ed25519-key`);
    assert.match(proof.proofValue, /^z[1-9A-HJ-NP-Za-km-z]{80,90}$/);
    assert.ok([entry.raw["@context"]].flat().includes(DATA_INTEGRITY), JSON.stringify(entry.raw["@context"]));

    const refusedBefore = peer.unverified.length;
    const replay = await postUnsigned(entry.raw);
    assert.ok(replay.status >= 200 && replay.status < 300, `unsigned replay of ${what} -> ${replay.status}: ${replay.text}\n${peerState()}`);
    assert.equal(peer.unverified.length, refusedBefore, `Fedify refused the unsigned ${what}: ${peerState()}`);

    const tampered = structuredClone(entry.raw);
    tampered.id = `${entry.raw.id}-tampered`;
    const refused = await postUnsigned(tampered);
    assert.equal(refused.status, 401, `tampered unsigned ${what} -> ${refused.status}: ${refused.text}`);
    console.log(`# ${what}: unsigned replay -> ${replay.status}, tampered -> ${refused.status}`);
  }

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    token = await instance.createToken("alice", "read write");
    peer = await startFedifyPeer({ identifiers: ["peer", "writer", "relay"] });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("the Accept alice sends carries a proof Fedify verifies on its own", async () => {
    const ctx = peer.ctx();
    const aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.ok(aliceActor?.id, "Fedify could not look up alice");
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/1`),
      actor: ctx.getActorUri("peer"),
      object: aliceActor.id,
    });
    await ctx.sendActivity({ identifier: "peer" }, aliceActor, follow);
    const accept = await waitFor(
      "an Accept of the Follow from alice in the peer's inbox",
      () => peer.received.find((r) => r.type === "Accept" && r.actorId === alice.actorUrl && objectIdOf(r) === follow.id.href),
      peerState,
    );
    await assertPeerVerifiesProofAlone(accept, "Accept");
  });

  test("alice's Create(Note) carries a proof Fedify verifies on its own", async () => {
    await waitFor("followers totalItems 1", async () => {
      const res = await fetch(`${alice.actorUrl}/followers`, { headers: { accept: AP } });
      return res.status === 200 && (await res.json()).totalItems === 1;
    });
    const res = await api(instance, token, "POST", "/api/v1/statuses", {
      status: "Signed twice: HTTP and #FEP8b32 — ünïcödé included",
      visibility: "public",
      language: "de",
    });
    assert.equal(res.status, 200, res.text);
    const create = await waitFor(
      "the Create of the status in the peer's inbox",
      () => peer.received.find((r) => r.type === "Create" && objectIdOf(r) === res.json.uri),
      peerState,
    );
    await assertPeerVerifiesProofAlone(create, "Create(Note)");
  });

  test("a Follow proved by its author and forwarded by another actor is admitted; altered, it is refused", async () => {
    const ctx = peer.ctx();
    const writerKeys = await ctx.getActorKeyPairs("writer");
    const ed25519 = writerKeys.find((k) => k.privateKey.algorithm.name === "Ed25519");
    assert.ok(ed25519, "the peer has no Ed25519 key for writer");
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/forwarded`),
      actor: ctx.getActorUri("writer"),
      object: new URL(alice.actorUrl),
    });
    // The proof names the Multikey of assertionMethod (#multikey-N), not the CryptographicKey (#key-N).
    const signed = await signObject(follow, ed25519.privateKey, ed25519.multikey.id, { contextLoader: ctx.contextLoader });
    const json = await signed.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
    console.log(`# Fedify's proved Follow: ${JSON.stringify(json)}`);

    const forward = async (body) => {
      const request = new Request(`${alice.actorUrl}/inbox`, {
        method: "POST",
        headers: { "content-type": AP, accept: AP },
        body: JSON.stringify(body),
      });
      const signedRequest = await signRequest(request, peer.keys.get("relay").rsa.privateKey, peer.keyId("relay"), {
        spec: "draft-cavage-http-signatures-12",
      });
      const res = await fetch(signedRequest);
      return { status: res.status, text: await res.text() };
    };

    const altered = { ...json, id: `${json.id}-altered` };
    const refused = await forward(altered);
    assert.equal(refused.status, 401, `altered forward -> ${refused.status}: ${refused.text}`);
    assert.match(refused.text, /object integrity proof: the proof's signature does not match the document/);

    const admitted = await forward(json);
    assert.equal(admitted.status, 202, `forward -> ${admitted.status}: ${admitted.text}`);
    await waitFor("followers totalItems 2 (the peer and writer)", async () => {
      const res = await fetch(`${alice.actorUrl}/followers`, { headers: { accept: AP } });
      return res.status === 200 && (await res.json()).totalItems === 2;
    });

    // Without a proof the old rule stands: relay's signature does not speak for writer.
    const { proof: _dropped, ...unproved } = { ...json, id: `${json.id}-unproved` };
    const unprovedAnswer = await forward(unproved);
    assert.equal(unprovedAnswer.status, 401, `unproved forward -> ${unprovedAnswer.status}: ${unprovedAnswer.text}`);
  });
});
