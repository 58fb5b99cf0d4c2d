// Team access interop (issue 18): an operator adds two staff members to an
// agency account with the real admin CLI (`admin account staff add`, passwords
// generated and printed once); each logs in through the OAuth code flow with
// `staff@agency` and their own password, masto.js 8 exchanges the code and
// posts with the token; `admin audit` names each of them for their post and
// `admin account staff remove` revokes one token at once (401) while the other
// keeps working.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createOAuthAPIClient, createRestAPIClient } from "masto";
import { hiddenInputs } from "../lib/forms.mjs";
import { startInstance } from "../lib/instance.mjs";
import { waitFor } from "../lib/poll.mjs";

const PASSWORD = "Interop-team-pass-0815";
const REDIRECT_URI = "http://127.0.0.1:1/callback";

describe("Team access: staff members post as one agency", () => {
  let instance;
  let app;
  const passwords = {};
  const clients = {};
  const posts = {};

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "presse", password: PASSWORD });
    const anon = createRestAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    app = await anon.v1.apps.create({ clientName: "Interop Team App", redirectUris: REDIRECT_URI, scopes: "read write" });
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  // The browser part of the code flow: GET the form, POST the login, read the code from the redirect.
  async function login(username, password) {
    const url = new URL("/oauth/authorize", instance.baseUrl);
    url.search = new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: "read write", state: "t1" });
    const page = await fetch(url, { redirect: "manual" });
    const cookie = page.headers.getSetCookie()[0].split(";")[0];
    const body = new URLSearchParams({ ...hiddenInputs(await page.text()), username, password });
    return fetch(url, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie }, body });
  }

  test("admin account staff add prints a generated password once per staff member", async () => {
    for (const staff of ["mueller", "schmidt"]) {
      const out = await instance.cli("admin", "account", "staff", "add", "--username", "presse", "--staff", staff);
      assert.match(out, new RegExp(`logs in as ${staff}@presse`), out);
      passwords[staff] = out.trim().split("\n").at(-1).trim();
      assert.ok(passwords[staff].length >= 20, out);
    }
  });

  test("both log in with staff@agency through the code flow and post as the agency", async () => {
    const oauth = createOAuthAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    for (const staff of ["mueller", "schmidt"]) {
      assert.ok(passwords[staff], "not added");
      const res = await login(`${staff}@presse`, passwords[staff]);
      assert.equal(res.status, 302, await res.text());
      const code = new URL(res.headers.get("location")).searchParams.get("code");
      const token = await oauth.token.create({ grantType: "authorization_code", clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT_URI, code });
      clients[staff] = createRestAPIClient({ url: instance.baseUrl, accessToken: token.accessToken, timeout: 30_000 });
      assert.equal((await clients[staff].v1.accounts.verifyCredentials()).username, "presse");
      const status = await clients[staff].v1.statuses.create({ status: `Pressemitteilung von ${staff}` });
      assert.equal(status.account.username, "presse");
      assert.doesNotMatch(JSON.stringify(status), new RegExp(staff + '"'), "the status does not name the staff member");
      posts[staff] = status.id;
    }
  });

  test("the agency's password does not open a staff login", async () => {
    const res = await login("mueller@presse", PASSWORD);
    assert.equal(res.status, 401);
  });

  test("admin audit names each staff member for their post, with the app", async () => {
    assert.ok(posts.mueller && posts.schmidt, "no posts");
    // A post's row is recorded by its fan-out's first queue message, a queue hop after the answer.
    let out = "";
    const line = (id) => out.split("\n").find((l) => l.trimEnd().endsWith(id));
    await waitFor(instance, "both posts' audit rows", async () => {
      out = await instance.cli("admin", "audit", "--username", "presse");
      return line(posts.mueller) && line(posts.schmidt);
    }, () => out, { timeoutMs: 30_000, intervalMs: 1_000 });
    assert.match(line(posts.mueller) ?? "", /mueller\s+Interop Team App\s+POST \/api\/v1\/statuses/, out);
    assert.match(line(posts.schmidt) ?? "", /schmidt\s+Interop Team App\s+POST \/api\/v1\/statuses/, out);
  });

  test("removing one staff member revokes their token (401) while the other keeps posting", async () => {
    assert.ok(clients.mueller && clients.schmidt, "not logged in");
    const out = await instance.cli("admin", "account", "staff", "remove", "--username", "presse", "--staff", "mueller");
    assert.match(out, /1 token\(s\) revoked/, out);
    await assert.rejects(clients.mueller.v1.statuses.create({ status: "after removal" }), (e) => e.statusCode === 401);
    const still = await clients.schmidt.v1.statuses.create({ status: "weiterhin da" });
    assert.equal(still.account.username, "presse");
    const relogin = await login("mueller@presse", passwords.mueller);
    assert.equal(relogin.status, 401);
  });
});
