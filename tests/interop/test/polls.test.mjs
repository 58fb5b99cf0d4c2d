// Poll interop: masto.js 8 creates a poll and votes in it, and a real Fedify
// server (lib/fedify-peer.mjs) receives the poll as a Question it parses and
// votes in it the way Mastodon does (a Create of a Note named after the
// option, replying to the Question), which the instance counts once.
//
// Order matters; the tests share one instance and one peer:
//   1. peer follows alice                                    -> Accept
//   2. alice creates a poll through masto.js                 -> the peer gets a Create(Question) Fedify parses
//   3. bob votes through masto.js; a refused vote is a 422   -> counts, voted, own_votes
//   4. the peer votes twice (Fedify's sendActivity)          -> counted once; not a reply
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Create, Follow, Note, Question } from "@fedify/vocab";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

const describeError = (e) =>
  `${e?.constructor?.name ?? typeof e}: ${e?.message}` +
  (e instanceof MastoHttpError ? ` (statusCode ${e.statusCode}, description ${e.description})` : "");

async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    assert.fail(`${what} threw ${describeError(e)}`);
  }
}

const objectIdOf = (entry) => {
  const obj = entry.raw?.object;
  return typeof obj === "string" ? obj : (obj?.id ?? entry.objectId);
};

describe("polls: masto.js and a Fedify peer", () => {
  let instance;
  let peer;
  let alice;
  let masto; // alice's client
  let bobMasto; // bob's client
  let aliceActor;
  let status; // alice's poll

  const waitFor = (...args) => waitForOn(instance, ...args);
  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
      `peer deliveries: ${JSON.stringify(peer.deliveries)}`,
    ].join("\n");

  async function send(activity) {
    const first = peer.deliveries.length;
    await peer.ctx().sendActivity({ identifier: "peer" }, aliceActor, activity);
    const attempts = peer.deliveries.slice(first).filter((d) => d.method === "POST");
    assert.ok(attempts.length > 0, `no delivery of ${activity.id?.href}`);
    const last = attempts.at(-1);
    assert.ok(last.status >= 200 && last.status < 300, `${activity.id?.href}: ${JSON.stringify(attempts)}`);
  }

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    await instance.createAccount({ username: "bob", displayName: "Bob" });
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("alice", "read write"), timeout: 30_000 });
    bobMasto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("bob", "read write"), timeout: 30_000 });
    peer = await startFedifyPeer({ identifiers: ["peer"], acceptFollows: true });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("the Fedify peer follows alice", async () => {
    const ctx = peer.ctx();
    aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.equal(aliceActor?.id?.href, alice.actorUrl, "Fedify could not look up alice");
    const follow = new Follow({ id: new URL(`${peer.origin}/follows/alice`), actor: ctx.getActorUri("peer"), object: aliceActor.id });
    await send(follow);
    await waitFor("the Accept of the Follow", () => peer.received.find((r) => r.type === "Accept" && objectIdOf(r) === follow.id.href), peerState);
  });

  test("alice's poll from masto.js reaches the peer as a Question Fedify parses", async () => {
    status = await call("statuses.create() with a poll", () =>
      masto.v1.statuses.create({ status: "Where should the next town hall meeting be?", poll: { options: ["North", "South", "Online"], expiresIn: 3600 } }));
    assert.ok(status.poll, "the status carries its poll");
    assert.deepEqual(status.poll.options.map((o) => o.title), ["North", "South", "Online"]);
    assert.equal(status.poll.multiple, false);
    assert.equal(status.poll.expired, false);

    const create = await waitFor("the Create of the poll at the peer", () => peer.received.find((r) => r.type === "Create" && objectIdOf(r) === status.uri), peerState);
    const parsed = await Create.fromJsonLd(create.raw);
    const question = await parsed.getObject();
    assert.ok(question instanceof Question, `Fedify parsed a ${question?.constructor?.name}`);
    const names = [];
    for await (const option of question.getExclusiveOptions()) names.push(option.name?.toString());
    assert.deepEqual(names, ["North", "South", "Online"]);
    assert.ok(question.endTime, "endTime");
    assert.equal(question.voters, 0);
  });

  test("bob votes through masto.js; a second vote is refused with 422", async () => {
    const poll = await call("polls.votes.create()", () => bobMasto.v1.polls.$select(status.poll.id).votes.create({ choices: [2] }));
    assert.equal(poll.voted, true);
    assert.deepEqual(poll.ownVotes, [2]);
    assert.deepEqual(poll.options.map((o) => o.votesCount), [0, 0, 1]);
    let error;
    try {
      await bobMasto.v1.polls.$select(status.poll.id).votes.create({ choices: [0] });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof MastoHttpError && error.statusCode === 422, describeError(error));
  });

  test("the peer's vote (a Note named after an option) is counted once", async () => {
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    const vote = (n) => new Create({
      id: new URL(`${peer.origin}/votes/${n}/activity`),
      actor: peerUri,
      to: aliceActor.id,
      object: new Note({ id: new URL(`${peer.origin}/votes/${n}`), attribution: peerUri, to: aliceActor.id, name: "South", replyTarget: new URL(status.uri) }),
    });
    await send(vote(1));
    await send(vote(2));
    const poll = await waitFor("the peer's vote in the counts", async () => {
      const p = await masto.v1.polls.$select(status.poll.id).fetch();
      return p.votersCount === 2 ? p : null;
    });
    assert.deepEqual(poll.options.map((o) => o.votesCount), [0, 1, 1]);
    const fetched = await call("statuses.fetch()", () => masto.v1.statuses.$select(status.id).fetch());
    assert.equal(fetched.repliesCount, 0, "a vote is not a reply");
  });
});
