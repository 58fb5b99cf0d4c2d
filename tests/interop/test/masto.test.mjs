// Client API interop: masto.js 8 (a real Mastodon client library) against a
// running ServerlessFedi instance, with a token from the admin CLI.
//
// masto.js sends JSON bodies, camel-cases response keys, decodes only
// `application/json` answers, and turns non-2xx answers into MastoHttpError
// (statusCode, message = the body's `error`).  Any other error class here
// (MastoUnexpectedError, MastoDeserializeError) means a response shape it
// could not handle: the assertions below report its class and message.
//
// Order matters: statuses are created, read and removed in sequence.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient, MastoHttpError } from "masto";
import { startInstance } from "../lib/instance.mjs";

const describeError = (e) =>
  `${e?.constructor?.name ?? typeof e}: ${e?.message}` +
  (e instanceof MastoHttpError ? ` (statusCode ${e.statusCode}, description ${e.description})` : "") +
  (e?.data !== undefined ? ` data=${JSON.stringify(e.data)?.slice(0, 500)}` : "") +
  (e?.cause ? ` cause=${e.cause?.message ?? e.cause}` : "");

// Runs a masto call and fails with the error's class and message if it throws.
async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    assert.fail(`${what} threw ${describeError(e)}`);
  }
}

// Expects a MastoHttpError with the given status code.
async function rejectsWith(what, statusCode, fn) {
  let error;
  try {
    const value = await fn();
    assert.fail(`${what} resolved instead of failing with ${statusCode}: ${JSON.stringify(value)?.slice(0, 500)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    error = e;
  }
  assert.ok(error instanceof MastoHttpError, `${what}: expected MastoHttpError ${statusCode}, got ${describeError(error)}`);
  assert.equal(error.statusCode, statusCode, `${what}: ${describeError(error)}`);
  return error;
}

describe("masto.js client", () => {
  let instance;
  let masto;
  let me; // verifyCredentials result
  let status; // created in test 2

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    const accessToken = await instance.createToken("alice", "read write");
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken, timeout: 30_000 });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile})`);
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("verifyCredentials returns alice with her source", async () => {
    me = await call("v1.accounts.verifyCredentials()", () => masto.v1.accounts.verifyCredentials());
    console.log(`# verifyCredentials: ${JSON.stringify(me)}`);
    assert.equal(typeof me.id, "string");
    assert.ok(me.id.length > 0);
    assert.equal(me.username, "alice");
    assert.equal(me.acct, "alice");
    assert.equal(me.displayName, "Alice Agency");
    assert.ok(me.source && typeof me.source === "object", `no source: ${JSON.stringify(me)}`);
    assert.equal(me.url?.startsWith(instance.baseUrl), true, `url ${me.url}`);
  });

  test("statuses.create posts an unlisted status as alice", async () => {
    assert.ok(me, "verifyCredentials failed");
    status = await call("v1.statuses.create()", () =>
      masto.v1.statuses.create({ status: "Posted through masto.js", visibility: "unlisted" }));
    console.log(`# created: ${JSON.stringify(status)}`);
    assert.equal(typeof status.id, "string");
    assert.equal(status.visibility, "unlisted");
    assert.equal(status.account?.id, me.id);
    assert.match(status.content, /Posted through masto\.js/);
    assert.ok(status.uri?.startsWith(instance.baseUrl), `uri ${status.uri}`);
    assert.ok(!Number.isNaN(Date.parse(status.createdAt)), `createdAt ${status.createdAt}`);
  });

  test("statuses.$select(id).fetch returns the same status", async () => {
    assert.ok(status, "create failed");
    const fetched = await call("v1.statuses.$select(id).fetch()", () => masto.v1.statuses.$select(status.id).fetch());
    assert.equal(fetched.id, status.id);
    assert.equal(fetched.uri, status.uri);
    assert.equal(fetched.content, status.content);
    assert.equal(fetched.visibility, "unlisted");
    assert.equal(fetched.account?.id, me.id);
  });

  test("statuses.$select(id).remove returns the status with its text", async () => {
    assert.ok(status, "create failed");
    const removed = await call("v1.statuses.$select(id).remove()", () => masto.v1.statuses.$select(status.id).remove());
    console.log(`# removed: ${JSON.stringify(removed)}`);
    assert.equal(removed.id, status.id);
    assert.equal(removed.text, "Posted through masto.js");
    const gone = await rejectsWith("fetch after remove", 404, () => masto.v1.statuses.$select(status.id).fetch());
    assert.ok(gone.message, "404 without a message");
  });

  test("a bad token gets a 401 MastoHttpError", async () => {
    const bad = createRestAPIClient({ url: instance.baseUrl, accessToken: "not-a-real-token", timeout: 30_000 });
    const error = await rejectsWith("verifyCredentials with a bad token", 401, () => bad.v1.accounts.verifyCredentials());
    console.log(`# bad token: ${describeError(error)}`);
    assert.ok(error.message, "401 without a message");
  });

  test("an empty status is refused with 422 and a message", async () => {
    const error = await rejectsWith("statuses.create({ status: '' })", 422, () => masto.v1.statuses.create({ status: "" }));
    console.log(`# empty status: ${describeError(error)}`);
    assert.equal(typeof error.message, "string");
    assert.ok(error.message.length > 0, "422 without a message");
  });
});
