// Client API interop: a masto.js 8 journey between two local accounts.
//
// masto.js pages by following the `Link: <...>; rel="next"` header (its
// PaginatorHttp), so the instance's Link headers are what is under test when
// a list is iterated with `for await`.  The paginator has no bound of its
// own: a server whose `next` never ends would loop, so every iteration here
// stops after MAX_PAGES and fails.
//
// Order matters; the tests share one instance:
//   1. bob looks alice up and follows her             -> following; alice gets a follow notification
//   2. alice posts 12 statuses; her account statuses   -> paged 5 at a time, newest first, no duplicates
//   3. bob's and alice's home timelines                -> the same 12, paged 5 at a time
//   4. bob favourites, then unfavourites               -> counts, favourites list, alice's notification
//   5. bob bookmarks two statuses                      -> bookmarks list; unbookmark empties it
//   6. alice's notifications through masto.js          -> follow + favourite by bob, every field decoded;
//                                                         types[] / exclude_types[] / unread_count / dismiss;
//                                                         grouped (v2): groups, one group, its accounts, pages
//   7. clean-up                                        -> statuses deleted, bob unfollows, notifications cleared
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

const COUNT = 12;
const LIMIT = 5;
const MAX_PAGES = 10;

const describeError = (e) =>
  `${e?.constructor?.name ?? typeof e}: ${e?.message}` +
  (e instanceof MastoHttpError ? ` (statusCode ${e.statusCode}, description ${e.description})` : "") +
  (e?.cause ? ` cause=${e.cause?.message ?? e.cause}` : "");

async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    assert.fail(`${what} threw ${describeError(e)}`);
  }
}

// Iterates a masto.js paginator (it follows rel="next"), failing on a loop.
async function allPages(what, paginator) {
  const pages = [];
  try {
    for await (const page of paginator) {
      assert.ok(Array.isArray(page), `${what}: page ${pages.length + 1} is not an array: ${JSON.stringify(page)}`);
      pages.push(page);
      assert.ok(pages.length <= MAX_PAGES, `${what}: still a next link after ${MAX_PAGES} pages: ${JSON.stringify(pages.map((p) => p.map((x) => x.id)))}`);
    }
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.fail(`${what} threw ${describeError(e)} after ${pages.length} pages`);
  }
  return pages;
}

// Pages of `size` items, newest first: [5, 5, 2], and at most one empty page
// at the end (Mastodon links `next` from every non-empty page).
function assertPaged(what, pages, expectedIds) {
  const sizes = pages.map((p) => p.length);
  console.log(`# ${what}: pages of ${JSON.stringify(sizes)}`);
  const trimmed = sizes.at(-1) === 0 ? sizes.slice(0, -1) : sizes;
  const expectedSizes = [];
  for (let left = expectedIds.length; left > 0; left -= LIMIT) expectedSizes.push(Math.min(LIMIT, left));
  assert.deepEqual(trimmed, expectedSizes, `${what}: page sizes ${JSON.stringify(sizes)}`);
  const ids = pages.flat().map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, `${what}: duplicates in ${JSON.stringify(ids)}`);
  assert.deepEqual(ids, expectedIds, `${what}: ids in order`);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// The Account entity as masto.js decodes it (camelCase), field by field.
function assertAccountShape(a, what) {
  assert.ok(a && typeof a === "object", `${what}: no account`);
  for (const key of ["id", "username", "acct", "url", "displayName", "note", "avatar", "avatarStatic", "header", "headerStatic", "createdAt"]) {
    assert.equal(typeof a[key], "string", `${what}.${key} is ${typeof a[key]}: ${JSON.stringify(a)}`);
  }
  for (const key of ["locked", "bot", "group"]) assert.equal(typeof a[key], "boolean", `${what}.${key}`);
  for (const key of ["followersCount", "followingCount", "statusesCount"]) assert.equal(typeof a[key], "number", `${what}.${key}`);
  assert.ok(Array.isArray(a.emojis) && Array.isArray(a.fields), `${what}: emojis/fields`);
  assert.match(a.createdAt, ISO, `${what}.createdAt`);
}

function assertStatusShape(s, what) {
  assert.ok(s && typeof s === "object", `${what}: no status`);
  for (const key of ["id", "uri", "createdAt", "content", "visibility", "spoilerText"]) {
    assert.equal(typeof s[key], "string", `${what}.${key} is ${typeof s[key]}`);
  }
  for (const key of ["repliesCount", "reblogsCount", "favouritesCount"]) assert.equal(typeof s[key], "number", `${what}.${key}`);
  assert.equal(typeof s.sensitive, "boolean", `${what}.sensitive`);
  for (const key of ["mediaAttachments", "mentions", "tags", "emojis"]) assert.ok(Array.isArray(s[key]), `${what}.${key}`);
  assert.match(s.createdAt, ISO, `${what}.createdAt`);
  assertAccountShape(s.account, `${what}.account`);
}

describe("masto.js timelines, favourites, bookmarks and notifications", () => {
  let instance;
  let aliceApi;
  let bobApi;
  let alice; // API account
  let bob;
  let created = []; // alice's statuses, oldest first
  const newestFirst = () => created.map((s) => s.id).reverse();

  const waitFor = (...args) => waitForOn(instance, ...args);

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    await instance.createAccount({ username: "bob", displayName: "Bob Citizen" });
    const [aliceToken, bobToken] = await Promise.all([
      instance.createToken("alice", "read write follow"),
      instance.createToken("bob", "read write follow"),
    ]);
    aliceApi = createRestAPIClient({ url: instance.baseUrl, accessToken: aliceToken, timeout: 30_000 });
    bobApi = createRestAPIClient({ url: instance.baseUrl, accessToken: bobToken, timeout: 30_000 });
    alice = await aliceApi.v1.accounts.verifyCredentials();
    bob = await bobApi.v1.accounts.verifyCredentials();
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile})`);
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("bob looks alice up and follows her", async () => {
    const found = await call("accounts.lookup(alice)", () => bobApi.v1.accounts.lookup({ acct: "alice" }));
    assert.equal(found.id, alice.id);
    assertAccountShape(found, "lookup");
    const rel = await call("follow()", () => bobApi.v1.accounts.$select(alice.id).follow());
    assert.equal(rel.id, alice.id);
    assert.equal(rel.following, true, JSON.stringify(rel));
    assert.equal(rel.requested, false);
    const [fromAlice] = await call("relationships", () => aliceApi.v1.accounts.relationships.fetch({ id: [bob.id] }));
    assert.equal(fromAlice.followedBy, true);
    assert.equal(fromAlice.following, false);
    const followers = await call("followers.list()", () => aliceApi.v1.accounts.$select(alice.id).followers.list());
    assert.deepEqual(followers.map((a) => a.id), [bob.id]);
  });

  test(`alice's ${COUNT} statuses page ${LIMIT} at a time through the Link headers`, async () => {
    for (let i = 1; i <= COUNT; i++) {
      created.push(await call(`statuses.create(${i})`, () =>
        aliceApi.v1.statuses.create({ status: `Timeline item ${i} of ${COUNT}`, visibility: "public" })));
    }
    assert.equal(new Set(created.map((s) => s.id)).size, COUNT);

    const pages = await allPages("accounts.$select(alice).statuses.list", aliceApi.v1.accounts.$select(alice.id).statuses.list({ limit: LIMIT }));
    assertPaged("alice's statuses", pages, newestFirst());
    pages.flat().forEach((s, i) => assertStatusShape(s, `statuses[${i}]`));
    assert.match(pages[0][0].content, new RegExp(`Timeline item ${COUNT} of ${COUNT}`));

    // Anonymous readers page the same way (public statuses).
    const anon = createRestAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    const anonPages = await allPages("anonymous statuses.list", anon.v1.accounts.$select(alice.id).statuses.list({ limit: LIMIT }));
    assertPaged("alice's statuses, anonymously", anonPages, newestFirst());
  });

  test("bob's and alice's home timelines page through the same statuses", async () => {
    assert.equal(created.length, COUNT, "the statuses were not created");
    for (const [who, client] of [["bob", bobApi], ["alice", aliceApi]]) {
      const pages = await waitFor(`all ${COUNT} statuses in ${who}'s home`, async () => {
        const p = await allPages(`${who}'s timelines.home.list`, client.v1.timelines.home.list({ limit: LIMIT }));
        return p.flat().length >= COUNT ? p : null;
      });
      assertPaged(`${who}'s home`, pages, newestFirst());
      assert.ok(pages.flat().every((s) => s.account.id === alice.id), `${who}'s home has statuses of others`);
    }

    // max_id is exclusive: below the 5th-oldest status there are exactly the 4 oldest.
    const older = await call("home.list({ maxId })", () => bobApi.v1.timelines.home.list({ limit: LIMIT, maxId: created[4].id }));
    assert.deepEqual(older.map((s) => s.id), newestFirst().slice(COUNT - 4, COUNT), "max_id is exclusive");
  });

  test("bob favourites and unfavourites alice's status", async () => {
    const target = created[COUNT - 1];
    const faved = await call("favourite()", () => bobApi.v1.statuses.$select(target.id).favourite());
    assert.equal(faved.id, target.id);
    assert.equal(faved.favourited, true);
    assert.equal(faved.favouritesCount, 1);
    const favourites = await call("favourites.list()", () => bobApi.v1.favourites.list());
    assert.deepEqual(favourites.map((s) => s.id), [target.id]);
    // The favourite's record (favourited_by) is written by its queue message, a hop after the answer.
    const by = await waitFor("bob in favourited_by", async () => {
      const list = await call("favouritedBy.list()", () => aliceApi.v1.statuses.$select(target.id).favouritedBy.list());
      return list.length > 0 ? list : null;
    });
    assert.deepEqual(by.map((a) => a.id), [bob.id]);
    const seenByAlice = await call("fetch()", () => aliceApi.v1.statuses.$select(target.id).fetch());
    assert.equal(seenByAlice.favouritesCount, 1);
    assert.equal(seenByAlice.favourited, false, "alice did not favourite it herself");

    const unfaved = await call("unfavourite()", () => bobApi.v1.statuses.$select(target.id).unfavourite());
    assert.equal(unfaved.favourited, false);
    assert.equal(unfaved.favouritesCount, 0);
    assert.deepEqual(await call("favourites.list()", () => bobApi.v1.favourites.list()), []);
    assert.deepEqual(await call("favouritedBy.list()", () => aliceApi.v1.statuses.$select(target.id).favouritedBy.list()), []);

    // Favourite again: this one stays for the notifications test.
    const again = await call("favourite() again", () => bobApi.v1.statuses.$select(created[0].id).favourite());
    assert.equal(again.favouritesCount, 1);
  });

  test("alice edits a status: masto.js decodes the edit, its history and its source", async () => {
    const target = created[COUNT - 2];
    const edited = await call("statuses.update()", () =>
      aliceApi.v1.statuses.$select(target.id).update({ status: "Timeline item, corrected", spoilerText: "Correction" }));
    assert.equal(edited.id, target.id);
    assert.match(edited.content, /corrected/);
    assert.equal(edited.spoilerText, "Correction");
    assert.ok(edited.editedAt, "editedAt is set");
    const history = await call("history.list()", () => aliceApi.v1.statuses.$select(target.id).history.list());
    assert.equal(history.length, 2, "the original and the edit");
    assert.match(history[0].content, new RegExp(`Timeline item ${COUNT - 1} of ${COUNT}`));
    assert.match(history[1].content, /corrected/);
    const source = await call("source.fetch()", () => aliceApi.v1.statuses.$select(target.id).source.fetch());
    assert.equal(source.text, "Timeline item, corrected");
    const seenByBob = await call("fetch() by bob", () => bobApi.v1.statuses.$select(target.id).fetch());
    assert.match(seenByBob.content, /corrected/);
    await assert.rejects(() => bobApi.v1.statuses.$select(target.id).update({ status: "not mine" }), "another account cannot edit it");
  });

  test("bob's bookmarks list what he bookmarked, newest bookmark first", async () => {
    const [a, b] = [created[2], created[7]];
    for (const s of [a, b]) {
      const marked = await call(`bookmark(${s.id})`, () => bobApi.v1.statuses.$select(s.id).bookmark());
      assert.equal(marked.bookmarked, true);
    }
    const pages = await allPages("bookmarks.list", bobApi.v1.bookmarks.list({ limit: 1 }));
    assert.deepEqual(pages.flat().map((s) => s.id), [b.id, a.id]);
    assert.deepEqual(await call("alice's bookmarks", () => aliceApi.v1.bookmarks.list()), [], "bookmarks are private to bob");
    const fetched = await call("fetch()", () => bobApi.v1.statuses.$select(a.id).fetch());
    assert.equal(fetched.bookmarked, true);

    for (const s of [a, b]) {
      const unmarked = await call(`unbookmark(${s.id})`, () => bobApi.v1.statuses.$select(s.id).unbookmark());
      assert.equal(unmarked.bookmarked, false);
    }
    assert.deepEqual(await call("bookmarks.list()", () => bobApi.v1.bookmarks.list()), []);
  });

  test("alice reads bob's follow and favourite through masto.js's notifications", async () => {
    const list = await waitFor("follow and favourite notifications", async () => {
      const l = await aliceApi.v1.notifications.list({ limit: 40 });
      return l.some((n) => n.type === "follow") && l.some((n) => n.type === "favourite" && n.status?.id === created[0].id) ? l : null;
    }, async () => `notifications: ${JSON.stringify(await aliceApi.v1.notifications.list())}`);

    for (const n of list) {
      assert.equal(typeof n.id, "string", JSON.stringify(n));
      assert.match(n.createdAt, ISO);
      assert.equal(n.account.id, bob.id, `${n.type} from ${n.account?.acct}`);
      assert.equal(n.account.acct, "bob");
      assertAccountShape(n.account, `${n.type}.account`);
    }
    // One follow and the favourites of test 4: the favourite that was undone may remain (Mastodon keeps it), none else.
    const types = list.map((n) => n.type).sort();
    assert.equal(types.filter((t) => t === "follow").length, 1, JSON.stringify(types));
    assert.ok(types.every((t) => t === "follow" || t === "favourite"), JSON.stringify(types));
    const follow = list.find((n) => n.type === "follow");
    assert.equal(follow.status ?? null, null, "a follow notification has no status");
    const fav = list.find((n) => n.type === "favourite" && n.status?.id === created[0].id);
    assertStatusShape(fav.status, "favourite.status");
    assert.equal(fav.status.account.id, alice.id);
    const ids = list.map((n) => n.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : BigInt(y) < BigInt(x) ? -1 : 0)), "newest first");

    const onlyFollows = await call("list({ types: [follow] })", () => aliceApi.v1.notifications.list({ types: ["follow"] }));
    assert.deepEqual(onlyFollows.map((n) => n.id), [follow.id]);
    const noFollows = await call("list({ excludeTypes: [follow] })", () => aliceApi.v1.notifications.list({ excludeTypes: ["follow"] }));
    assert.ok(noFollows.length >= 1 && noFollows.every((n) => n.type === "favourite"), JSON.stringify(noFollows.map((n) => n.type)));

    const unread = await call("unreadCount.fetch()", () => aliceApi.v1.notifications.unreadCount.fetch());
    assert.equal(unread.count, list.length);
    const pages = await allPages("notifications.list({ limit: 1 })", aliceApi.v1.notifications.list({ limit: 1 }));
    assert.deepEqual(pages.flat().map((n) => n.id), ids);

    // Grouped notifications (GET /api/v2/notifications): the instance advertises mastodon API version 2, which Mastodon
    // 4.3 apps read to switch to them. The same notifications come back as groups, accounts and statuses once each.
    const instanceV2 = await call("v2.instance.fetch()", () => aliceApi.v2.instance.fetch());
    assert.equal(instanceV2.apiVersions.mastodon, 2);
    const grouped = await call("v2.notifications.list()", () => aliceApi.v2.notifications.list({ limit: 40 }));
    assert.deepEqual(grouped.accounts.map((a) => a.id).sort(), [alice.id, bob.id].sort(), "bob as the sample account, alice as the statuses' author");
    for (const a of grouped.accounts) assertAccountShape(a, "grouped.accounts");
    const followGroup = grouped.notificationGroups.find((g) => g.type === "follow");
    assert.match(followGroup.groupKey, /^follow-\d+$/);
    assert.equal(followGroup.groupKey, follow.groupKey, "v1 carries the same group key");
    assert.deepEqual(followGroup.sampleAccountIds, [bob.id]);
    assert.equal(followGroup.notificationsCount, 1);
    assert.equal(followGroup.mostRecentNotificationId, follow.id);
    const favGroups = grouped.notificationGroups.filter((g) => g.type === "favourite");
    assert.equal(favGroups.reduce((sum, g) => sum + g.notificationsCount, 0), types.filter((t) => t === "favourite").length);
    for (const g of favGroups) {
      assert.match(g.groupKey, new RegExp(`^favourite-${g.statusId}-\\d+$`));
      assert.match(g.latestPageNotificationAt, ISO);
      assertStatusShape(grouped.statuses.find((st) => st.id === g.statusId), `status of ${g.groupKey}`);
    }
    assert.equal(new Set(grouped.statuses.map((st) => st.id)).size, grouped.statuses.length, "statuses once each");

    const one = await call("v2 $select(key).fetch()", () => aliceApi.v2.notifications.$select(followGroup.groupKey).fetch());
    assert.deepEqual(one.notificationGroups.map((g) => g.groupKey), [followGroup.groupKey]);
    const groupAccounts = await call("v2 $select(key).accounts.fetch()", () => aliceApi.v2.notifications.$select(followGroup.groupKey).accounts.fetch());
    assert.deepEqual(groupAccounts.map((a) => a.id), [bob.id]);
    const unreadGroups = await call("v2 unreadCount.fetch()", () => aliceApi.v2.notifications.unreadCount.fetch());
    assert.equal(unreadGroups.count, grouped.notificationGroups.length);
    const keys = [];
    for await (const page of aliceApi.v2.notifications.list({ limit: 1 })) {
      assert.ok(page.notificationGroups.length <= 1, JSON.stringify(page));
      keys.push(...page.notificationGroups.map((g) => g.groupKey));
      assert.ok(keys.length <= MAX_PAGES, `v2 pagination: still a next link after ${MAX_PAGES} pages: ${JSON.stringify(keys)}`);
    }
    assert.deepEqual([...new Set(keys)].sort(), grouped.notificationGroups.map((g) => g.groupKey).sort());

    await call("dismiss()", () => aliceApi.v1.notifications.$select(follow.id).dismiss());
    const afterDismiss = await call("notifications.list()", () => aliceApi.v1.notifications.list());
    assert.deepEqual(afterDismiss.map((n) => n.id), ids.filter((id) => id !== follow.id));
    assert.deepEqual(await call("bob's notifications", () => bobApi.v1.notifications.list()), []);
  });

  test("clean-up: statuses deleted, bob unfollows, notifications cleared", async () => {
    for (const s of created) await call(`remove(${s.id})`, () => aliceApi.v1.statuses.$select(s.id).remove());
    const rel = await call("unfollow()", () => bobApi.v1.accounts.$select(alice.id).unfollow());
    assert.equal(rel.following, false);
    await call("notifications.clear()", () => aliceApi.v1.notifications.clear());

    assert.deepEqual(await call("statuses.list()", () => aliceApi.v1.accounts.$select(alice.id).statuses.list()), []);
    assert.deepEqual(await call("bob's home", () => bobApi.v1.timelines.home.list()), []);
    assert.deepEqual(await call("notifications.list()", () => aliceApi.v1.notifications.list()), []);
    assert.deepEqual(await call("favourites.list()", () => bobApi.v1.favourites.list()), []);
    assert.deepEqual(await call("followers.list()", () => aliceApi.v1.accounts.$select(alice.id).followers.list()), []);
    created = [];
  });
});
