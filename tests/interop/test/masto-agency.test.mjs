// Everyday agency features through masto.js 8, as apps call them: following a
// hashtag (a citizen's home gets the agency's tagged posts), muting a
// conversation, direct messages as conversations, and correcting a post's alt text (media_attributes), deleting
// it for a redraft (its media stay) and deleting an unused upload.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

const photo = () => new Blob([fs.readFileSync(new URL("../../ServerlessFedi.Tests/Media/Fixtures/photo.webp", import.meta.url))], { type: "image/webp" });

describe("masto.js: followed hashtags, muted conversations, corrections", () => {
  let instance;
  let agency; // masto client of the agency
  let citizen; // masto client of a citizen
  const waitFor = (...args) => waitForOn(instance, ...args);

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "agency", displayName: "Agency" });
    await instance.createAccount({ username: "citizen", displayName: "Citizen" });
    agency = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("agency", "read write"), timeout: 30_000 });
    citizen = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("citizen", "read write"), timeout: 30_000 });
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("a followed hashtag brings the agency's tagged post into the citizen's home", async () => {
    const tag = await citizen.v1.tags.$select("hochwasser").follow();
    assert.equal(tag.following, true);
    assert.deepEqual((await citizen.v1.followedTags.list()).map((t) => t.name), ["hochwasser"]);

    const post = await agency.v1.statuses.create({ status: "Pegel steigt #hochwasser", visibility: "public" });
    const home = await waitFor("the tagged post in the citizen's home", async () => {
      const statuses = await citizen.v1.timelines.home.list();
      return statuses.find((s) => s.id === post.id);
    });
    assert.equal(home.account.username, "agency");

    const unfollowed = await citizen.v1.tags.$select("hochwasser").unfollow();
    assert.equal(unfollowed.following, false);
    assert.equal((await citizen.v1.followedTags.list()).length, 0);
  });

  test("muting a conversation shows muted and stops its notifications", async () => {
    const root = await agency.v1.statuses.create({ status: "Bürgersprechstunde am Freitag", visibility: "public" });
    const muted = await agency.v1.statuses.$select(root.id).mute();
    assert.equal(muted.muted, true);

    await citizen.v1.statuses.create({ status: "@agency wann genau?", inReplyToId: root.id });
    const notifications = await agency.v1.notifications.list();
    assert.equal(notifications.filter((n) => n.type === "mention").length, 0, "no mention from the muted thread");

    const unmuted = await agency.v1.statuses.$select(root.id).unmute();
    assert.equal(unmuted.muted, false);
  });

  test("an alt text is fixed with media_attributes, and a deleted post leaves its media for a redraft", async () => {
    const media = await agency.v2.media.create({ file: photo(), description: "Falscher Alternativtext" });
    const post = await agency.v1.statuses.create({ status: "Karte der Sperrungen", mediaIds: [media.id] });

    const edited = await agency.v1.statuses.$select(post.id).update({
      status: "Karte der Sperrungen",
      mediaIds: [media.id],
      mediaAttributes: [{ id: media.id, description: "Karte der gesperrten Straßen im Zentrum" }],
    });
    assert.equal(edited.mediaAttachments[0].description, "Karte der gesperrten Straßen im Zentrum");
    assert.ok(edited.editedAt, "an alt text fix is an edit");

    const deleted = await agency.v1.statuses.$select(post.id).remove();
    assert.equal(deleted.mediaAttachments[0].id, media.id);
    const kept = await agency.v1.media.$select(media.id).fetch();
    assert.equal(kept.description, "Karte der gesperrten Straßen im Zentrum", "the media stays, fixed, for the redraft");
    const redraft = await agency.v1.statuses.create({ status: "Karte der Sperrungen (korrigiert)", mediaIds: [media.id] });
    assert.equal(redraft.mediaAttachments[0].id, media.id);
  });

  test("a direct message and its reply are one conversation, unread for the one who got the reply", async () => {
    const me = await citizen.v1.accounts.verifyCredentials();
    const question = await citizen.v1.statuses.create({ status: "@agency Wann öffnet das Bürgerbüro?", visibility: "direct" });
    const agencyConversations = await agency.v1.conversations.list();
    assert.equal(agencyConversations.length, 1);
    assert.equal(agencyConversations[0].unread, true);
    assert.equal(agencyConversations[0].lastStatus.id, question.id);
    assert.deepEqual(agencyConversations[0].accounts.map((a) => a.id), [me.id]);

    const read = await agency.v1.conversations.$select(agencyConversations[0].id).read();
    assert.equal(read.unread, false);
    const answer = await agency.v1.statuses.create({ status: "@citizen Ab 8 Uhr.", visibility: "direct", inReplyToId: question.id });
    const citizenConversations = await citizen.v1.conversations.list();
    assert.equal(citizenConversations.length, 1, "the reply joins the same conversation");
    assert.equal(citizenConversations[0].lastStatus.id, answer.id);
    assert.equal(citizenConversations[0].unread, true);

    await citizen.v1.conversations.$select(citizenConversations[0].id).remove();
    assert.equal((await citizen.v1.conversations.list()).length, 0);
  });

  test("an unused upload is deleted; one in use is refused with 422", async () => {
    const unused = await agency.v2.media.create({ file: photo(), description: "nicht gebraucht" });
    const used = await agency.v2.media.create({ file: photo(), description: "gebraucht" });
    await agency.v1.statuses.create({ status: "Mit Bild", mediaIds: [used.id] });

    await agency.v1.media.$select(unused.id).remove();
    await assert.rejects(() => agency.v1.media.$select(unused.id).fetch(), (e) => e instanceof MastoHttpError && e.statusCode === 404);
    await assert.rejects(() => agency.v1.media.$select(used.id).remove(), (e) => e instanceof MastoHttpError && e.statusCode === 422);
  });
});
