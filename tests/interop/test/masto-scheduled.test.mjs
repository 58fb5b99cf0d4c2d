// Scheduled statuses through masto.js 8, as Elk, Phanpy and Tusky schedule a
// post: `scheduled_at` on create answers a ScheduledStatus (not a Status), the
// scheduled_statuses routes list, show, move and cancel it, a time less than
// five minutes ahead is refused with 422, and nothing is published early.
// (Publication at the time is proven by the .NET ScheduledStatusTests with a
// fake clock; an interop run cannot wait minutes.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startInstance } from "../lib/instance.mjs";

describe("masto.js scheduled statuses", () => {
  let instance;
  let masto;
  let me;
  let scheduled;

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("alice", "read write"), timeout: 30_000 });
    me = await masto.v1.accounts.verifyCredentials();
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("scheduled_at an hour ahead answers a ScheduledStatus and publishes nothing yet", async () => {
    const at = new Date(Date.now() + 60 * 60 * 1000);
    scheduled = await masto.v1.statuses.create({ status: "Storm warning briefing at noon", scheduledAt: at.toISOString(), visibility: "public" });
    assert.match(scheduled.id, /^\d+$/);
    assert.ok(Math.abs(new Date(scheduled.scheduledAt).getTime() - at.getTime()) < 1000, `scheduled_at as asked: ${scheduled.scheduledAt}`);
    assert.equal(scheduled.params.text, "Storm warning briefing at noon");
    assert.equal(scheduled.params.visibility, "public");
    assert.equal(scheduled.content, undefined, "not a Status");

    const statuses = await masto.v1.accounts.$select(me.id).statuses.list();
    assert.equal(statuses.length, 0, "nothing published early");
  });

  test("the scheduled_statuses routes list, show, move and cancel it", async () => {
    const listed = await masto.v1.scheduledStatuses.list();
    assert.deepEqual(listed.map((s) => s.id), [scheduled.id]);
    const shown = await masto.v1.scheduledStatuses.$select(scheduled.id).fetch();
    assert.equal(shown.params.text, "Storm warning briefing at noon");

    const later = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const moved = await masto.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: later.toISOString() });
    assert.equal(Math.abs(new Date(moved.scheduledAt).getTime() - later.getTime()) < 1000, true, `moved to ${moved.scheduledAt}`);

    await masto.v1.scheduledStatuses.$select(scheduled.id).remove();
    assert.equal((await masto.v1.scheduledStatuses.list()).length, 0);
    await assert.rejects(() => masto.v1.scheduledStatuses.$select(scheduled.id).fetch(), (e) => e instanceof MastoHttpError && e.statusCode === 404);
  });

  test("a time less than five minutes ahead is refused with 422, as Mastodon", async () => {
    await assert.rejects(
      () => masto.v1.statuses.create({ status: "Too soon", scheduledAt: new Date(Date.now() + 60 * 1000).toISOString() }),
      (e) => e instanceof MastoHttpError && e.statusCode === 422 && typeof e.message === "string" && e.message.length > 0,
    );
    assert.equal((await masto.v1.scheduledStatuses.list()).length, 0, "nothing scheduled");
  });
});
