// Social interop: a real Fedify server (lib/fedify-peer.mjs, with
// acceptFollows) and a ServerlessFedi instance interact both ways, and every
// effect is read back through masto.js 8 with alice's token.
//
// Order matters; the tests share one instance and one peer:
//   1. peer follows alice (Fedify's sendActivity)                    -> Accept; alice's followers list the peer
//   2. alice posts through masto.js                                   -> peer gets a verified Create(Note)
//   3. peer replies (mentioning alice), likes and announces it        -> mention/favourite/reblog notifications,
//                                                                        counts 1/1/1, the reply in /context
//   4. peer undoes the Like                                           -> favourites_count 0
//   5. alice looks the peer up (WebFinger on Fedify) and follows it   -> peer's follow handler accepts; following
//   6. peer posts a public Note to its followers                      -> in alice's home timeline
//   6b. peer posts a Note with an image, and boosts a note it serves  -> in alice's home: the image as a remote
//       only by URL (the instance fetches it signed)                     MediaAttachment, the boost as a reblog
//   7. alice unfollows                                                -> peer gets Undo(Follow); not following;
//                                                                        a later post of the peer is not stored
//   8. clean-up: peer deletes its reply, undoes Announce and Follow;  -> counts 0/0/0, no descendants, no followers;
//      alice deletes her post and clears her notifications
//   9. the acct of a remote account keeps its server's port
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Announce, Create, Delete, Document, Follow, Like, Mention, Note, PUBLIC_COLLECTION, Tombstone, Undo } from "@fedify/vocab";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { sleep, waitFor as waitForOn } from "../lib/poll.mjs";

const describeError = (e) =>
  `${e?.constructor?.name ?? typeof e}: ${e?.message}` +
  (e instanceof MastoHttpError ? ` (statusCode ${e.statusCode}, description ${e.description})` : "") +
  (e?.cause ? ` cause=${e.cause?.message ?? e.cause}` : "");

// Runs a masto call and fails with the error's class and message if it throws.
async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    assert.fail(`${what} threw ${describeError(e)}`);
  }
}

// The object of an activity as received: an id, embedded or referenced.
const objectIdOf = (entry) => {
  const obj = entry.raw?.object;
  return typeof obj === "string" ? obj : (obj?.id ?? entry.objectId);
};

// A remote acct is the WebFinger handle, with the port of its server when it has one.
function assertPeerAcct(acct, expected, what = "acct") {
  assert.equal(acct, expected, what);
}

const stripHtml = (html) => String(html ?? "").replace(/<[^>]*>/g, "");

describe("social interop: Fedify peer and masto.js", () => {
  let instance;
  let peer;
  let alice; // { username, actorUrl, acct }
  let masto; // alice's client
  let me; // alice's API account
  let aliceActor; // Fedify's view of alice
  let peerAcct; // peer@host:port
  let peerAccountId; // the peer's API id, from the notifications
  let status; // alice's post
  let like; // the peer's Like, undone in test 4
  let announce; // the peer's Announce, undone in the clean-up
  let reply; // the peer's reply, deleted in the clean-up
  let peerFollow; // the peer's Follow of alice, undone in the clean-up

  const waitFor = (...args) => waitForOn(instance, ...args);
  const peerState = () =>
    [
      `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}`,
      `peer refused (unverified): ${JSON.stringify(peer.unverified)}`,
      `peer listener errors: ${peer.errors.map(String).join("; ")}`,
      `peer served: ${JSON.stringify(peer.requests.map(({ body, ...r }) => r))}`,
      `peer deliveries: ${JSON.stringify(peer.deliveries)}`,
    ].join("\n");

  // Fedify's own signed delivery to alice's inbox; fails unless the instance answered 2xx.
  async function send(activity, to = aliceActor) {
    const first = peer.deliveries.length;
    await peer.ctx().sendActivity({ identifier: "peer" }, to, activity);
    const attempts = peer.deliveries.slice(first).filter((d) => d.method === "POST");
    assert.ok(attempts.length > 0, `no delivery of ${activity.id?.href}`);
    const last = attempts.at(-1);
    assert.ok(last.status >= 200 && last.status < 300, `${activity.id?.href}: ${JSON.stringify(attempts)}`);
  }

  const fetchStatus = () => call("statuses.$select(id).fetch()", () => masto.v1.statuses.$select(status.id).fetch());
  const notifications = () => call("notifications.list()", () => masto.v1.notifications.list({ limit: 40 }));

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    const accessToken = await instance.createToken("alice", "read write follow");
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken, timeout: 30_000 });
    peer = await startFedifyPeer({ identifiers: ["peer"], acceptFollows: true });
    peerAcct = `peer@${new URL(peer.origin).host}`;
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("the Fedify peer follows alice and alice's followers list it", async () => {
    me = await call("verifyCredentials()", () => masto.v1.accounts.verifyCredentials());
    const ctx = peer.ctx();
    aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.equal(aliceActor?.id?.href, alice.actorUrl, "Fedify could not look up alice");
    const follow = peerFollow = new Follow({
      id: new URL(`${peer.origin}/follows/alice`),
      actor: ctx.getActorUri("peer"),
      object: aliceActor.id,
    });
    await send(follow);
    await waitFor(
      "an Accept of the Follow in the peer's inbox",
      () => peer.received.find((r) => r.type === "Accept" && objectIdOf(r) === follow.id.href),
      peerState,
    );
    const followers = await waitFor("the peer among alice's followers (masto.js)", async () => {
      const list = await masto.v1.accounts.$select(me.id).followers.list();
      return list.length === 1 ? list : null;
    });
    assertPeerAcct(followers[0].acct, peerAcct, "follower acct");
    assert.equal(followers[0].url ?? followers[0].uri, peer.actorUri("peer").href);
    assert.match(followers[0].id, /^\d{19}$/, `remote account id ${followers[0].id}`);
    peerAccountId = followers[0].id;
  });

  test("alice's post reaches the peer as a verified Create(Note)", async () => {
    status = await call("statuses.create()", () =>
      masto.v1.statuses.create({ status: "Open consultation on the new bike lanes", visibility: "public" }));
    assert.equal(status.visibility, "public");
    assert.equal(status.repliesCount, 0);
    const create = await waitFor(
      "the Create of alice's post in the peer's inbox",
      () => peer.received.find((r) => r.type === "Create" && objectIdOf(r) === status.uri),
      peerState,
    );
    assert.equal(create.actorId, alice.actorUrl);
    assert.ok(!peer.unverified.some((u) => u.id === create.id), JSON.stringify(peer.unverified));
  });

  test("the peer's reply, Like and Announce become notifications and counts", async () => {
    assert.ok(status && aliceActor, "earlier tests failed");
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    const target = new URL(status.uri);

    reply = new Note({
      id: new URL(`${peer.origin}/notes/reply-1`),
      attribution: peerUri,
      to: PUBLIC_COLLECTION,
      ccs: [aliceActor.id, ctx.getFollowersUri("peer")],
      replyTarget: target,
      content: `<p><span class="h-card"><a href="${alice.actorUrl}" class="u-url mention">@alice</a></span> Count me in for the consultation.</p>`,
      tags: [new Mention({ href: aliceActor.id, name: `@alice@${instance.host}` })],
    });
    await send(new Create({
      id: new URL(`${peer.origin}/notes/reply-1/activity`),
      actor: peerUri,
      object: reply,
      to: PUBLIC_COLLECTION,
      ccs: [aliceActor.id, ctx.getFollowersUri("peer")],
    }));
    like = new Like({ id: new URL(`${peer.origin}/likes/1`), actor: peerUri, object: target });
    await send(like);
    announce = new Announce({
      id: new URL(`${peer.origin}/announces/1`),
      actor: peerUri,
      object: target,
      to: PUBLIC_COLLECTION,
      ccs: [aliceActor.id, ctx.getFollowersUri("peer")],
    });
    await send(announce);

    const byType = await waitFor(
      "mention, favourite and reblog notifications for alice",
      async () => {
        const list = await masto.v1.notifications.list({ limit: 40 });
        const found = Object.fromEntries(["mention", "favourite", "reblog"].map((t) => [t, list.find((n) => n.type === t)]));
        return Object.values(found).every(Boolean) ? found : null;
      },
      async () => `notifications: ${JSON.stringify(await masto.v1.notifications.list({ limit: 40 }))}\n${peerState()}`,
    );
    for (const [type, n] of Object.entries(byType)) {
      assertPeerAcct(n.account?.acct, peerAcct, `${type} notification account`);
      assert.equal(n.account?.id, peerAccountId, `${type} notification account id`);
      assert.ok(!Number.isNaN(Date.parse(n.createdAt)), `${type} createdAt ${n.createdAt}`);
    }
    assert.equal(byType.favourite.status?.id, status.id);
    assert.equal(byType.reblog.status?.id, status.id);
    assert.equal(byType.mention.status?.uri, reply.id.href);
    assert.equal(byType.mention.status?.inReplyToId, status.id);
    assert.match(stripHtml(byType.mention.status?.content), /Count me in for the consultation/);

    // types[] as masto.js sends it narrows the list.
    const onlyFavs = await call("notifications.list({ types })", () =>
      masto.v1.notifications.list({ types: ["favourite"], limit: 40 }));
    assert.deepEqual(onlyFavs.map((n) => n.type), ["favourite"]);

    const counted = await waitFor("replies/favourites/reblogs counts 1/1/1", async () => {
      const s = await fetchStatus();
      return s.repliesCount === 1 && s.favouritesCount === 1 && s.reblogsCount === 1 ? s : null;
    }, async () => `status: ${JSON.stringify(await fetchStatus())}`);
    assert.equal(counted.id, status.id);

    const context = await call("statuses.$select(id).context.fetch()", () =>
      masto.v1.statuses.$select(status.id).context.fetch());
    assert.deepEqual(context.ancestors, []);
    assert.deepEqual(context.descendants.map((d) => d.uri), [reply.id.href], JSON.stringify(context.descendants));
    assertPeerAcct(context.descendants[0].account.acct, peerAcct, "reply account");
    assert.equal(context.descendants[0].inReplyToId, status.id);

    const favouritedBy = await call("favouritedBy.list()", () => masto.v1.statuses.$select(status.id).favouritedBy.list());
    assert.deepEqual(favouritedBy.map((a) => a.id), [peerAccountId]);
    assertPeerAcct(favouritedBy[0].acct, peerAcct, "favourited_by acct");
    const rebloggedBy = await call("rebloggedBy.list()", () => masto.v1.statuses.$select(status.id).rebloggedBy.list());
    assert.deepEqual(rebloggedBy.map((a) => a.id), [peerAccountId]);
    assertPeerAcct(rebloggedBy[0].acct, peerAcct, "reblogged_by acct");
  });

  test("Undo(Like) from the peer brings favourites_count back to 0", async () => {
    assert.ok(like, "the Like was not sent");
    await send(new Undo({ id: new URL(`${peer.origin}/likes/1/undo`), actor: peer.actorUri("peer"), object: like }));
    const s = await waitFor("favourites_count 0", async () => {
      const current = await fetchStatus();
      return current.favouritesCount === 0 ? current : null;
    }, async () => `status: ${JSON.stringify(await fetchStatus())}`);
    assert.equal(s.reblogsCount, 1, "the Undo(Like) touched the reblog");
    assert.equal(s.repliesCount, 1, "the Undo(Like) touched the reply");
    const favouritedBy = await call("favouritedBy.list()", () => masto.v1.statuses.$select(status.id).favouritedBy.list());
    assert.deepEqual(favouritedBy, []);
  });

  test("alice looks the peer up and follows it; the peer's Fedify handler accepts", async () => {
    assert.ok(peerAccountId, "the peer's account id is unknown");
    const found = await call(`accounts.lookup(${peerAcct})`, () => masto.v1.accounts.lookup({ acct: peerAcct }));
    assert.equal(found.id, peerAccountId, "lookup and the notifications disagree on the peer's id");
    assertPeerAcct(found.acct, peerAcct, "lookup acct");
    assert.equal(found.username, "peer");
    assert.equal(found.displayName, "Fedify peer");

    const searched = await call("accounts.search.list({ resolve: true })", () =>
      masto.v1.accounts.search.list({ q: `@${peerAcct}`, resolve: true }));
    assert.deepEqual(searched.map((a) => a.id), [found.id]);

    const rel = await call("accounts.$select(id).follow()", () => masto.v1.accounts.$select(found.id).follow());
    assert.equal(rel.id, found.id);
    assert.ok(rel.following || rel.requested, `follow answered ${JSON.stringify(rel)}`);

    const received = await waitFor(
      "alice's Follow in the peer's inbox",
      () => peer.received.find((r) => r.type === "Follow" && r.actorId === alice.actorUrl),
      peerState,
    );
    assert.equal(received.objectId, peer.actorUri("peer").href);
    assert.equal(received.keyId, `${alice.actorUrl}#main-key`);
    await waitFor("alice in the peer's followers", () => peer.followers.get("peer").has(alice.actorUrl), peerState);

    const [after] = await waitFor("relationship following: true", async () => {
      const rels = await masto.v1.accounts.relationships.fetch({ id: [found.id] });
      return rels[0]?.following === true ? rels : null;
    }, async () => `relationships: ${JSON.stringify(await masto.v1.accounts.relationships.fetch({ id: [found.id] }))}\n${peerState()}`);
    assert.equal(after.requested, false);
    assert.equal(after.followedBy, true, "the peer follows alice since test 1");

    const following = await call("accounts.$select(me).following.list()", () =>
      masto.v1.accounts.$select(me.id).following.list());
    assert.deepEqual(following.map((a) => a.id), [peerAccountId]);
  });

  test("the peer's public post to its followers lands in alice's home timeline", async () => {
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    const note = new Note({
      id: new URL(`${peer.origin}/notes/news-1`),
      attribution: peerUri,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
      content: "<p>Fedify peer news: the library opens on Sundays.</p>",
    });
    const first = peer.deliveries.length;
    await ctx.sendActivity({ identifier: "peer" }, "followers", new Create({
      id: new URL(`${peer.origin}/notes/news-1/activity`),
      actor: peerUri,
      object: note,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
    }));
    const attempts = peer.deliveries.slice(first);
    assert.ok(attempts.some((d) => d.method === "POST" && d.url.startsWith(instance.baseUrl) && d.status < 300),
      `the followers fan-out did not reach the instance: ${JSON.stringify(attempts)}`);

    const home = () => masto.v1.timelines.home.list({ limit: 20 });
    const entry = await waitFor(
      "the peer's note in alice's home timeline",
      async () => (await home()).find((s) => s.uri === note.id.href),
      async () => `home: ${JSON.stringify((await home()).map((s) => [s.id, s.uri]))}`,
    );
    assertPeerAcct(entry.account.acct, peerAcct, "home entry acct");
    assert.equal(entry.account.id, peerAccountId);
    assert.equal(entry.visibility, "public");
    assert.match(stripHtml(entry.content), /the library opens on Sundays/);
    const fetched = await call("statuses.$select(remote).fetch()", () => masto.v1.statuses.$select(entry.id).fetch());
    assert.equal(fetched.uri, note.id.href);
  });

  test("the peer's image post and its boost of a note named by URL reach alice's home", async () => {
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    const imageUrl = `${peer.origin}/media/harbour.png`;
    const photo = new Note({
      id: new URL(`${peer.origin}/notes/photo-1`),
      attribution: peerUri,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
      content: "<p>The harbour this morning.</p>",
      attachments: [new Document({ mediaType: "image/png", url: new URL(imageUrl), name: "Boats in the harbour at dawn", width: 800, height: 600 })],
    });
    await ctx.sendActivity({ identifier: "peer" }, "followers", new Create({
      id: new URL(`${peer.origin}/notes/photo-1/activity`),
      actor: peerUri,
      object: photo,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
    }));

    // The boosted note is served by the peer at its id; the Announce names it by URL only.
    const boosted = new Note({
      id: ctx.getObjectUri(Note, { id: "older-1" }),
      attribution: peerUri,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
      content: "<p>Reminder: the ferry timetable changes next week.</p>",
    });
    peer.notes.set("older-1", boosted);
    await ctx.sendActivity({ identifier: "peer" }, "followers", new Announce({
      id: new URL(`${peer.origin}/announces/older-1`),
      actor: peerUri,
      object: boosted.id,
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri("peer")],
    }));

    const home = () => masto.v1.timelines.home.list({ limit: 20 });
    const entries = await waitFor(
      "the image post and the boost in alice's home timeline",
      async () => {
        const list = await home();
        const image = list.find((s) => s.uri === photo.id.href);
        const boost = list.find((s) => s.reblog?.uri === boosted.id.href);
        return image && boost ? { image, boost } : null;
      },
      async () => `home: ${JSON.stringify((await home()).map((s) => [s.id, s.uri, s.reblog?.uri]))}\n${peerState()}`,
    );
    const [media] = entries.image.mediaAttachments;
    assert.equal(media?.type, "image", JSON.stringify(entries.image.mediaAttachments));
    // Served through the instance (Fedi__ProxyRemoteMedia, on by default); remote_url stays the peer's file.
    assert.match(media.url, new RegExp(`/media-proxy/statuses/${entries.image.id}/[0-9a-f]{16}$`));
    assert.equal(media.remoteUrl, imageUrl);
    assert.equal(media.description, "Boats in the harbour at dawn");
    assert.equal(media.meta?.original?.width, 800);
    assert.equal(entries.boost.account.id, peerAccountId);
    assert.equal(entries.boost.uri, `${peer.origin}/announces/older-1`);
    assert.match(stripHtml(entries.boost.reblog.content), /ferry timetable/);
    assertPeerAcct(entries.boost.reblog.account.acct, peerAcct, "boosted note's author");
    const fetches = peer.requests.filter((r) => r.method === "GET" && r.path === "/notes/older-1");
    assert.ok(fetches.length >= 1 && fetches.every((r) => r.keyId === `${instance.baseUrl}/actor#main-key`),
      `the boosted note was not fetched signed by the instance actor: ${JSON.stringify(fetches)}`);
  });

  test("alice unfollows: the peer gets Undo(Follow) and later posts are not stored", async () => {
    const rel = await call("accounts.$select(id).unfollow()", () => masto.v1.accounts.$select(peerAccountId).unfollow());
    assert.equal(rel.following, false, JSON.stringify(rel));
    const undo = await waitFor(
      "alice's Undo(Follow) in the peer's inbox",
      () => peer.received.find((r) => r.type === "Undo" && r.actorId === alice.actorUrl),
      peerState,
    );
    assert.equal(typeof undo.raw.object === "object" ? undo.raw.object.type : "(reference)", "Follow");
    await waitFor("alice gone from the peer's followers", () => !peer.followers.get("peer").has(alice.actorUrl), peerState);
    const [now] = await call("relationships.fetch()", () => masto.v1.accounts.relationships.fetch({ id: [peerAccountId] }));
    assert.equal(now.following, false);
    assert.equal(now.requested, false);

    // A post addressed to alice's inbox but neither mentioning her nor from someone she follows concerns no local account.
    const ctx = peer.ctx();
    const stray = new Note({
      id: new URL(`${peer.origin}/notes/news-2`),
      attribution: ctx.getActorUri("peer"),
      to: PUBLIC_COLLECTION,
      content: "<p>Second news item nobody here follows.</p>",
    });
    await send(new Create({ id: new URL(`${stray.id.href}/activity`), actor: ctx.getActorUri("peer"), object: stray, to: PUBLIC_COLLECTION }));
    await sleep(3_000);
    const home = await call("timelines.home.list()", () => masto.v1.timelines.home.list({ limit: 40 }));
    assert.ok(!home.some((s) => s.uri === stray.id.href), "a post of an unfollowed account reached the home timeline");
    assert.ok(home.some((s) => s.uri === `${peer.origin}/notes/news-1`), "the earlier post vanished from home");
  });

  test("clean-up: the peer deletes its reply and undoes its Announce and Follow; alice deletes her post", async () => {
    assert.ok(status && reply && announce && peerFollow, "earlier tests failed");
    const peerUri = peer.actorUri("peer");
    await send(new Delete({
      id: new URL(`${reply.id.href}#delete`),
      actor: peerUri,
      object: new Tombstone({ id: reply.id }),
      to: PUBLIC_COLLECTION,
    }));
    await send(new Undo({ id: new URL(`${announce.id.href}/undo`), actor: peerUri, object: announce }));
    await send(new Undo({ id: new URL(`${peerFollow.id.href}/undo`), actor: peerUri, object: peerFollow }));

    const s = await waitFor("counts 0/0/0 after the Delete and the Undo", async () => {
      const current = await fetchStatus();
      return current.repliesCount === 0 && current.reblogsCount === 0 && current.favouritesCount === 0 ? current : null;
    }, async () => `status: ${JSON.stringify(await fetchStatus())}`);
    assert.equal(s.id, status.id);
    const context = await call("context.fetch()", () => masto.v1.statuses.$select(status.id).context.fetch());
    assert.deepEqual(context.descendants, []);
    assert.deepEqual(await call("rebloggedBy.list()", () => masto.v1.statuses.$select(status.id).rebloggedBy.list()), []);
    await waitFor("no followers left", async () => (await masto.v1.accounts.$select(me.id).followers.list()).length === 0);

    await call("statuses.remove()", () => masto.v1.statuses.$select(status.id).remove());
    await call("notifications.clear()", () => masto.v1.notifications.clear());
    assert.deepEqual(await call("notifications.list()", () => masto.v1.notifications.list()), []);
    const gone = await fetch(status.uri, { headers: { accept: "application/activity+json" } });
    await gone.arrayBuffer();
    assert.equal(gone.status, 410, `GET ${status.uri} after the deletion`);
  });

  // Mastodon's acct is the WebFinger handle (user@domain, the domain with its
  // port when the server has one), so that it resolves back to the account.
  test("a remote acct keeps the port of its server", async () => {
    assert.ok(peerAccountId, "the peer's account id is unknown");
    const account = await call("accounts.$select(peer).fetch()", () => masto.v1.accounts.$select(peerAccountId).fetch());
    assert.equal(account.acct, peerAcct);
  });
});
