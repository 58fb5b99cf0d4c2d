// Two-factor login interop: an operator enrols an account with the real admin
// CLI (`admin account 2fa enable`), an authenticator computes the code from
// the printed secret (RFC 6238, written here from the RFC with node:crypto),
// the browser part answers the second step, and masto.js 8 exchanges the code
// and uses the token. The instance requires a second factor
// (Fedi__RequireTwoFactor), so an account without one is refused.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createOAuthAPIClient, createRestAPIClient } from "masto";
import { hiddenInputs } from "../lib/forms.mjs";
import { startInstance } from "../lib/instance.mjs";

const PASSWORD = "Interop-2fa-pass-0815";
const REDIRECT_URI = "http://127.0.0.1:1/callback";

// RFC 4648 base32 (no padding) to bytes.
function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 with HMAC-SHA-1, 30-second steps, 6 digits (RFC 4226 §5.3 truncation).
function totp(secret, atMs = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

describe("OAuth login with a second factor", () => {
  let instance;
  let app;
  let secret;
  let recovery;

  before(async () => {
    instance = await startInstance({
      settings: { Fedi__TwoFactorKey: randomBytes(32).toString("base64"), Fedi__RequireTwoFactor: "true" },
    });
    await instance.createAccount({ username: "bob", password: PASSWORD });
    await instance.createAccount({ username: "carol", password: PASSWORD });
    const anon = createRestAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    app = await anon.v1.apps.create({ clientName: "Interop 2FA", redirectUris: REDIRECT_URI, scopes: "read" });
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
  });

  // GET the login form, POST the password: the answer and the form's cookie.
  async function passwordStep(username) {
    const url = new URL("/oauth/authorize", instance.baseUrl);
    url.search = new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: REDIRECT_URI, scope: "read", state: "s1" });
    const page = await fetch(url, { redirect: "manual" });
    const cookie = page.headers.getSetCookie()[0].split(";")[0];
    const body = new URLSearchParams({ ...hiddenInputs(await page.text()), username, password: PASSWORD });
    const res = await fetch(url, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie }, body });
    return { res, html: await res.text(), cookie, url };
  }

  async function codeStep(step, otp) {
    const body = new URLSearchParams({ ...hiddenInputs(step.html), otp });
    return fetch(step.url, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: step.cookie }, body });
  }

  test("admin account 2fa enable prints the otpauth URI, the secret and ten recovery codes", async () => {
    const out = await instance.cli("admin", "account", "2fa", "enable", "--username", "bob");
    assert.match(out, /^URI:\s+otpauth:\/\/totp\/\S+secret=[A-Z2-7]{32}&/m, out);
    secret = base32Decode(/^Secret: ([A-Z2-7]+)/m.exec(out)[1]);
    recovery = [...out.matchAll(/^ {2}([a-z2-7]{4}(?:-[a-z2-7]{4}){3})$/gm)].map((m) => m[1]);
    assert.equal(recovery.length, 10, out);
  });

  test("the password alone gives no code; the authenticator's code does, and masto.js uses the token", async () => {
    assert.ok(secret, "not enrolled");
    const step = await passwordStep("bob");
    assert.equal(step.res.status, 200, step.html.slice(0, 1000));
    assert.equal(step.res.headers.get("location"), null);
    assert.match(step.html, /autocomplete="one-time-code"/);

    const wrong = await codeStep(step, totp(secret) === "000000" ? "000001" : "000000");
    assert.equal(wrong.status, 401);
    const right = await codeStep(step, totp(secret));
    assert.equal(right.status, 302, await right.text());
    const code = new URL(right.headers.get("location")).searchParams.get("code");

    const oauth = createOAuthAPIClient({ url: instance.baseUrl, timeout: 30_000 });
    const token = await oauth.token.create({ grantType: "authorization_code", clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT_URI, code });
    const masto = createRestAPIClient({ url: instance.baseUrl, accessToken: token.accessToken, timeout: 30_000 });
    assert.equal((await masto.v1.accounts.verifyCredentials()).username, "bob");
  });

  test("a recovery code logs in once", async () => {
    assert.ok(recovery?.length, "not enrolled");
    const first = await codeStep(await passwordStep("bob"), recovery[0]);
    assert.equal(first.status, 302);
    const again = await codeStep(await passwordStep("bob"), recovery[0]);
    assert.equal(again.status, 401);
  });

  test("an account without a second factor is refused with the reason", async () => {
    const step = await passwordStep("carol");
    assert.equal(step.res.status, 403);
    assert.match(step.html, /requires two-factor authentication/);
  });
});
