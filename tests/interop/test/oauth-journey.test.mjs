// OAuth 2 interop: the whole journey of a third-party app against a running
// ServerlessFedi instance, as a Mastodon client would do it with masto.js 8.
//
//   1. register the app           masto: rest v1.apps.create (JSON)
//   2. the browser part           fetch: GET /oauth/authorize (login page +
//                                 CSRF cookie), POST the form → 302 to the
//                                 redirect URI with code and state
//   3. exchange the code          masto: oauth token.create (JSON), with PKCE
//   4. use the token              masto: verifyCredentials, statuses create /
//                                 fetch / remove
//   5. revoke the token           masto: oauth revoke (JSON) → then 401
//   6. negative: the same code a second time → 400 invalid_grant
//
// masto.js 8's CreateTokenParams typings have no `codeVerifier`; its
// serializer snake-cases every key it is given, so passing `codeVerifier`
// sends `code_verifier` (this file is plain JS, so no type check objects).
//
// Order matters: each step uses what the previous one produced.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from "masto";
import { startInstance } from "../lib/instance.mjs";

const PASSWORD = "Interop-OAuth-pass-4711";
const REDIRECT_URI = "http://127.0.0.1:1/callback";
const SCOPES = "read write";

const describeError = (e) =>
  `${e?.constructor?.name ?? typeof e}: ${e?.message}` +
  (e instanceof MastoHttpError ? ` (statusCode ${e.statusCode}, description ${e.description})` : "") +
  (e?.data !== undefined ? ` data=${JSON.stringify(e.data)?.slice(0, 500)}` : "") +
  (e?.cause ? ` cause=${e.cause?.message ?? e.cause}` : "");

async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    assert.fail(`${what} threw ${describeError(e)}`);
  }
}

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

const base64url = (buf) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const decodeHtml = (s) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

// The value of attribute `name` in one tag's text, or undefined.
function attr(tag, name) {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return m ? decodeHtml(m[1] ?? m[2] ?? m[3]) : undefined;
}

// The first <form method=post> of the page: its action and its named inputs.
function parseForm(html) {
  const formMatch = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  assert.ok(formMatch, `no <form> in the authorize page:\n${html.slice(0, 2000)}`);
  const formTag = /<form\b[^>]*>/i.exec(formMatch[0])[0];
  const inputs = [];
  for (const m of formMatch[1].matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    const name = attr(tag, "name");
    if (name === undefined) continue;
    inputs.push({ name, type: (attr(tag, "type") ?? "text").toLowerCase(), value: attr(tag, "value") ?? "" });
  }
  return { action: attr(formTag, "action"), method: (attr(formTag, "method") ?? "get").toLowerCase(), inputs };
}

describe("OAuth journey with masto.js", () => {
  let instance;
  let app; // v1.apps.create result
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const state = base64url(randomBytes(12));
  let code; // from the redirect
  let token; // oauth token.create result
  let masto; // REST client with the token
  let me;
  let status;

  before(async () => {
    instance = await startInstance();
    await instance.createAccount({ username: "alice", displayName: "Alice OAuth", password: PASSWORD });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile})`);
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  test("v1.apps.create registers the app with client credentials", async () => {
    const anon = createRestAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    app = await call("v1.apps.create()", () =>
      anon.v1.apps.create({ clientName: "Interop App", redirectUris: REDIRECT_URI, scopes: SCOPES }));
    console.log(`# app: ${JSON.stringify({ ...app, clientSecret: app?.clientSecret ? "(set)" : app?.clientSecret })}`);
    assert.equal(app.name, "Interop App");
    assert.equal(typeof app.clientId, "string");
    assert.ok(app.clientId.length > 0, "empty clientId");
    assert.equal(typeof app.clientSecret, "string");
    assert.ok(app.clientSecret.length > 0, "empty clientSecret");
  });

  test("the browser part: login form, then a 302 to the redirect URI with code and state", async () => {
    assert.ok(app, "apps.create failed");
    const authorizeUrl = new URL("/oauth/authorize", instance.baseUrl);
    authorizeUrl.search = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      scope: SCOPES,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();

    const page = await fetch(authorizeUrl, { redirect: "manual", headers: { accept: "text/html" } });
    const html = await page.text();
    assert.equal(page.status, 200, `GET ${authorizeUrl} → ${page.status}\n${html.slice(0, 1000)}`);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const setCookies = page.headers.getSetCookie();
    assert.equal(setCookies.length, 1, `expected one Set-Cookie, got ${JSON.stringify(setCookies)}`);
    const cookie = setCookies[0].split(";")[0].trim();
    assert.match(cookie, /^[^=]+=.+/, `Set-Cookie ${setCookies[0]}`);

    const form = parseForm(html);
    console.log(`# form: action=${form.action} method=${form.method} inputs=${JSON.stringify(form.inputs.map((i) => `${i.type}:${i.name}`))}`);
    assert.equal(form.method, "post");
    assert.ok(form.action, "form has no action");
    const actionUrl = new URL(form.action, authorizeUrl);
    assert.equal(actionUrl.pathname, "/oauth/authorize", `form action ${form.action}`);
    const password = form.inputs.filter((i) => i.type === "password");
    assert.equal(password.length, 1, `expected one password input: ${JSON.stringify(form.inputs)}`);
    const login = form.inputs.filter((i) => ["text", "email"].includes(i.type));
    assert.equal(login.length, 1, `expected one username/email input: ${JSON.stringify(form.inputs)}`);
    const hidden = form.inputs.filter((i) => i.type === "hidden");
    const hiddenMap = Object.fromEntries(hidden.map((i) => [i.name, i.value]));
    assert.equal(hiddenMap.client_id, app.clientId, `hidden inputs ${JSON.stringify(hiddenMap)}`);
    assert.equal(hiddenMap.state, state);
    assert.equal(hiddenMap.code_challenge, challenge);
    assert.ok(hidden.some((i) => !authorizeUrl.searchParams.has(i.name) && i.value),
      `no CSRF token among the hidden inputs: ${JSON.stringify(Object.keys(hiddenMap))}`);

    const body = new URLSearchParams();
    for (const i of hidden) body.append(i.name, i.value);
    body.append(login[0].name, "alice");
    body.append(password[0].name, PASSWORD);
    const res = await fetch(actionUrl, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: instance.baseUrl },
      body: body.toString(),
    });
    const resText = await res.text();
    assert.equal(res.status, 302, `POST ${actionUrl} → ${res.status}\n${resText.slice(0, 1000)}`);
    const location = res.headers.get("location") ?? "";
    assert.ok(location.startsWith(REDIRECT_URI), `Location ${location}`);
    const back = new URL(location);
    assert.equal(back.searchParams.get("state"), state, `Location ${location}`);
    code = back.searchParams.get("code");
    assert.ok(code, `no code in ${location}`);
  });

  test("oauth token.create exchanges the code (PKCE) for a bearer token", async () => {
    assert.ok(code, "no authorization code");
    const oauth = createOAuthAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    token = await call("oauth token.create()", () =>
      oauth.token.create({
        grantType: "authorization_code",
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        redirectUri: REDIRECT_URI,
        code,
        codeVerifier: verifier, // not in masto 8's typings; sent as code_verifier
      }));
    console.log(`# token: ${JSON.stringify({ ...token, accessToken: token?.accessToken ? "(set)" : token?.accessToken })}`);
    assert.equal(typeof token.accessToken, "string");
    assert.ok(token.accessToken.length > 0, "empty accessToken");
    assert.match(token.tokenType, /^bearer$/i);
    assert.deepEqual(token.scope.split(/\s+/).sort(), SCOPES.split(" ").sort());
    assert.equal(typeof token.createdAt, "number", `createdAt ${JSON.stringify(token.createdAt)}`);
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: token.accessToken, timeout: 30_000 });
  });

  test("verifyCredentials with the token is alice", async () => {
    assert.ok(masto, "no token");
    me = await call("v1.accounts.verifyCredentials()", () => masto.v1.accounts.verifyCredentials());
    assert.equal(me.username, "alice");
    assert.equal(me.acct, "alice");
    assert.equal(me.displayName, "Alice OAuth");
  });

  test("statuses create, fetch and remove with the token", async () => {
    assert.ok(me, "verifyCredentials failed");
    status = await call("v1.statuses.create()", () =>
      masto.v1.statuses.create({ status: "Posted by an OAuth app", visibility: "unlisted" }));
    assert.equal(typeof status.id, "string");
    assert.equal(status.account?.id, me.id);
    assert.match(status.content, /Posted by an OAuth app/);
    const fetched = await call("v1.statuses.$select(id).fetch()", () => masto.v1.statuses.$select(status.id).fetch());
    assert.equal(fetched.id, status.id);
    assert.equal(fetched.uri, status.uri);
    const removed = await call("v1.statuses.$select(id).remove()", () => masto.v1.statuses.$select(status.id).remove());
    assert.equal(removed.id, status.id);
    assert.equal(removed.text, "Posted by an OAuth app");
    await rejectsWith("fetch after remove", 404, () => masto.v1.statuses.$select(status.id).fetch());
  });

  test("oauth revoke invalidates the token: verifyCredentials then fails with 401", async () => {
    assert.ok(masto, "no token");
    const oauth = createOAuthAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    await call("oauth revoke()", () =>
      oauth.revoke({ clientId: app.clientId, clientSecret: app.clientSecret, token: token.accessToken }));
    const error = await rejectsWith("verifyCredentials after revoke", 401, () => masto.v1.accounts.verifyCredentials());
    console.log(`# after revoke: ${describeError(error)}`);
  });

  test("the same code a second time is refused with 400 invalid_grant", async () => {
    assert.ok(code && token, "no code exchanged yet");
    const res = await fetch(new URL("/oauth/token", instance.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        grant_type: "authorization_code",
        code,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
    });
    const text = await res.text();
    assert.equal(res.status, 400, `second exchange → ${res.status}: ${text.slice(0, 500)}`);
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      assert.fail(`second exchange answered non-JSON: ${text.slice(0, 500)}`);
    }
    assert.equal(json.error, "invalid_grant", text);
    // The same through masto.js: a MastoHttpError whose message is the error code.
    const oauth = createOAuthAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    const error = await rejectsWith("token.create with a used code", 400, () =>
      oauth.token.create({
        grantType: "authorization_code",
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        redirectUri: REDIRECT_URI,
        code,
        codeVerifier: verifier,
      }));
    assert.equal(error.message, "invalid_grant", describeError(error));
  });
});
