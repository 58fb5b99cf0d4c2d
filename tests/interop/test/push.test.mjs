// Web Push interop: masto.js 8 creates, reads, updates and deletes a push
// subscription (docs: methods/push), and a push receiver written here in Node
// (RFC 8291 §3, RFC 8188 §2, RFC 8292 §3 with node:crypto, independent of the
// server's C#) receives the encrypted push a mention causes, decrypts it with
// the subscription's keys and checks Mastodon's payload and the VAPID JWT
// against the instance's public key.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import { createRestAPIClient } from "masto";
import { startInstance } from "../lib/instance.mjs";

const b64u = (buffer) => Buffer.from(buffer).toString("base64url");

// Decrypts one aes128gcm record (RFC 8188) of a Web Push message (RFC 8291).
function decrypt(body, ecdh, auth) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const ecdhSecret = ecdh.computeSecret(senderPublic);
  const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();
  const prkKey = hmac(auth, ecdhSecret);
  const ikm = hmac(prkKey, Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), senderPublic, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.concat([Buffer.from("Content-Encoding: aes128gcm\0"), Buffer.from([1])])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.concat([Buffer.from("Content-Encoding: nonce\0"), Buffer.from([1])])).subarray(0, 12);
  const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  assert.equal(padded[end], 2, "last record delimiter");
  return padded.subarray(0, end).toString("utf8");
}

// Verifies `vapid t=<jwt>, k=<key>` (RFC 8292 §3) and returns the JWT's claims.
function verifyVapid(header, serverKey) {
  const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(header ?? "");
  assert.ok(match, `Authorization: ${header}`);
  assert.equal(match[2], serverKey);
  const [h, c, s] = match[1].split(".");
  const point = Buffer.from(serverKey, "base64url");
  const key = crypto.createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: "jwk" });
  const ok = crypto.verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  assert.ok(ok, "VAPID JWT signature");
  return JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
}

describe("Web Push with masto.js and a Node push receiver", () => {
  let instance;
  let alice;
  let bob;
  let aliceToken;
  let receiver;
  let receiverUrl;
  const pushes = [];

  before(async () => {
    receiver = http.createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        pushes.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(201).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
    instance = await startInstance({ settings: { Fedi__TwoFactorKey: crypto.randomBytes(32).toString("base64") } });
    await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    await instance.createAccount({ username: "bob", displayName: "Bob Citizen" });
    aliceToken = await instance.createToken("alice", "read push");
    alice = createRestAPIClient({ url: instance.baseUrl, accessToken: aliceToken, timeout: 30_000 });
    bob = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("bob", "read write"), timeout: 30_000 });
  }, { timeout: 180_000 });

  after(async () => {
    await instance?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  test("masto.js creates, fetches, updates and removes a subscription", async () => {
    const ecdh = crypto.createECDH("prime256v1");
    ecdh.generateKeys();
    const keys = { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(crypto.randomBytes(16)) };
    const created = await alice.v1.push.subscription.create({
      subscription: { endpoint: `${receiverUrl}/masto`, keys },
      data: { alerts: { mention: true, favourite: true } },
      policy: "all",
    });
    const instanceDoc = await alice.v2.instance.fetch();
    assert.equal(created.endpoint, `${receiverUrl}/masto`);
    assert.equal(created.serverKey, instanceDoc.configuration.vapid.publicKey);
    assert.equal(created.alerts.mention, true);
    assert.equal(created.alerts.reblog, false);
    assert.equal(created.policy, "all");

    const fetched = await alice.v1.push.subscription.fetch();
    assert.equal(fetched.id, created.id);

    const updated = await alice.v1.push.subscription.update({ data: { alerts: { reblog: true } } });
    assert.equal(updated.alerts.reblog, true);
    assert.equal(updated.alerts.mention, true);

    await alice.v1.push.subscription.remove();
    await assert.rejects(() => alice.v1.push.subscription.fetch(), (e) => e.statusCode === 404);
  });

  test("a mention reaches the receiver encrypted, with Mastodon's payload and a valid VAPID JWT", async () => {
    const ecdh = crypto.createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    await alice.v1.push.subscription.create({
      subscription: { endpoint: `${receiverUrl}/mention`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } },
      data: { alerts: { mention: true } },
      policy: "all",
    });
    await bob.v1.statuses.create({ status: "@alice When does the office open?" });

    const deadline = Date.now() + 30_000;
    while (!pushes.some((p) => p.path === "/mention") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const push = pushes.find((p) => p.path === "/mention");
    assert.ok(push, "no push arrived within 30 s");
    assert.equal(push.headers["content-encoding"], "aes128gcm");
    assert.equal(push.headers.ttl, "172800");
    const serverKey = (await alice.v2.instance.fetch()).configuration.vapid.publicKey;
    const claims = verifyVapid(push.headers.authorization, serverKey);
    assert.equal(claims.aud, receiverUrl);

    const text = decrypt(push.body, ecdh, auth);
    const payload = JSON.parse(text);
    const [notification] = await alice.v1.notifications.list({ limit: 1 });
    assert.equal(payload.access_token, aliceToken);
    assert.equal(payload.notification_type, "mention");
    assert.equal(/"notification_id":(\d+)/.exec(text)?.[1], notification.id, "the id as a JSON number, as Mastodon sends it");
    assert.match(payload.title, /Bob Citizen/);
    assert.match(payload.body, /When does the office open\?/);
    assert.equal(typeof payload.icon, "string");
    assert.equal(payload.preferred_locale, "en");
  });
});
