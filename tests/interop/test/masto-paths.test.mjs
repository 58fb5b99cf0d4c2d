// Mastodon's paths as masto.js 8 calls them (issue 14 item 8): filter keywords
// at /api/v2/filters/keywords/:id, a private note on an account, familiar
// followers, and the notification policy of a server without filtering.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient } from "masto";
import { startInstance } from "../lib/instance.mjs";

describe("masto.js: Mastodon's paths for filters, notes, familiar followers, notification policy", () => {
  let instance;
  let alice;
  let bob;
  let carol;

  before(async () => {
    instance = await startInstance();
    for (const username of ["alice", "bob", "carol"]) await instance.createAccount({ username });
    const client = async (username) => createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken(username, "read write follow"), timeout: 30_000 });
    alice = await client("alice");
    bob = await client("bob");
    carol = await client("carol");
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("a filter keyword is read, changed and removed at /api/v2/filters/keywords/:id", async () => {
    const filter = await alice.v2.filters.create({ title: "Werbung", context: ["home"], filterAction: "warn", keywordsAttributes: [{ keyword: "Rabatt" }] });
    const keywordId = filter.keywords[0].id;
    assert.equal((await alice.v2.filters.keywords.$select(keywordId).fetch()).keyword, "Rabatt");
    const changed = await alice.v2.filters.keywords.$select(keywordId).update({ keyword: "Gutschein", wholeWord: true });
    assert.equal(changed.keyword, "Gutschein");
    await alice.v2.filters.keywords.$select(keywordId).remove();
    assert.equal((await alice.v2.filters.$select(filter.id).fetch()).keywords.length, 0);
  });

  test("a private note is shown only to its writer, and familiar followers are the followers one follows", async () => {
    const bobAccount = await bob.v1.accounts.verifyCredentials();
    const carolAccount = await carol.v1.accounts.verifyCredentials();
    const relationship = await alice.v1.accounts.$select(bobAccount.id).note.create({ comment: "Pressestelle des Ministeriums" });
    assert.equal(relationship.note, "Pressestelle des Ministeriums");
    const [carolSees] = await carol.v1.accounts.relationships.fetch({ id: [bobAccount.id] });
    assert.equal(carolSees.note, "");

    await alice.v1.accounts.$select(bobAccount.id).follow();
    await bob.v1.accounts.$select(carolAccount.id).follow();
    // masto.js types the parameter as a bare array, which its query encoder writes as `0=`; apps send `id[]=`.
    const [familiar] = await alice.v1.accounts.familiarFollowers.fetch({ id: [carolAccount.id] });
    assert.equal(familiar.id, carolAccount.id);
    assert.deepEqual(familiar.accounts.map((a) => a.id), [bobAccount.id]);
  });

  test("the notification policy answers as a server that filters nothing", async () => {
    const policy = await alice.v2.notifications.policy.fetch();
    assert.equal(policy.forNotFollowing, "accept");
    assert.equal(policy.summary.pendingRequestsCount, 0);
  });
});
