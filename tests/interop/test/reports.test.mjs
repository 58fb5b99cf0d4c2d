// Reports interop: alice reports an account on a real Fedify server
// (lib/fedify-peer.mjs) through masto.js 8 with `forward`, and the peer's
// Fedify inbox receives and verifies the Flag, sent by the instance actor
// (the reporter stays anonymous, as Mastodon forwards reports).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient } from "masto";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

describe("reports interop: a forwarded report reaches a Fedify server as a Flag", () => {
  let instance;
  let peer;
  let masto;
  let target; // the peer's account as the instance's API knows it

  const waitFor = (...args) => waitForOn(instance, ...args);
  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
      `peer listener errors: ${peer.errors.map(String).join("; ")}`,
    ].join("\n");

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("alice", "read write"), timeout: 30_000 });
    peer = await startFedifyPeer({ identifiers: ["spammer"] });
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("masto.js files a report with forward and gets Mastodon's Report entity", async () => {
    const acct = `spammer@${new URL(peer.origin).host}`;
    const found = await masto.v1.accounts.search.list({ q: `@${acct}`, resolve: true });
    assert.equal(found.length, 1, `the peer's account resolved: ${JSON.stringify(found)}`);
    target = found[0];

    const report = await masto.v1.reports.create({
      accountId: target.id,
      comment: "Fake flood warnings",
      category: "spam",
      forward: true,
    });
    assert.equal(report.targetAccount.id, target.id);
    assert.equal(report.category, "spam");
    assert.equal(report.forwarded, true);
    assert.equal(report.actionTaken, false);
  });

  test("the peer's Fedify inbox verifies the Flag from the instance actor, naming the account", async () => {
    assert.ok(target, "the report was not filed");
    const flag = await waitFor(
      "the Flag in the peer's inbox",
      () => peer.received.find((r) => r.type === "Flag"),
      peerState,
    );
    assert.equal(flag.actorId, `${instance.baseUrl}/actor`);
    assert.equal(flag.keyId, `${instance.baseUrl}/actor#main-key`);
    const objects = [flag.raw.object].flat().map((o) => (typeof o === "string" ? o : o.id));
    assert.deepEqual(objects, [peer.actorUri("spammer").href]);
    assert.equal(flag.raw.content, "Fake flood warnings");
  });
});
