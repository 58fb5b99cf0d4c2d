// A hand-written hostile ActivityPub server on 127.0.0.1, for the security
// interop tests (test/hostile.test.mjs).  It is what an attacker runs: plain
// node:http and node:crypto, no ActivityPub library.  It serves whatever
// documents a test puts at a path (actors, "uploads" with any media type,
// open redirects), makes RSA key pairs, and POSTs activities to an inbox
// signed with draft-cavage-http-signatures-12 rsa-sha256 under any keyId it
// likes, as Mastodon signs: (request-target) host date digest.
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import http from "node:http";
import { freePort } from "./instance.mjs";

export const AP = "application/activity+json";
const CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

/** An RSA-2048 key pair as PEM strings (SPKI public, PKCS#8 private). */
export function rsaKeyPair() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

export async function startHostileServer() {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const routes = new Map(); // path (with query, if any) -> { status, contentType, body, location }
  const requests = []; // { method, url } of every request served

  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    if (req.method === "POST") {
      // An inbox that takes anything (the instance's Accepts land here).
      req.resume();
      req.on("end", () => res.writeHead(202).end());
      return;
    }
    const route = routes.get(req.url) ?? routes.get(new URL(req.url, origin).pathname);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const headers = {};
    if (route.contentType) headers["content-type"] = route.contentType;
    if (route.location) headers.location = route.location;
    res.writeHead(route.status, headers).end(route.body);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));

  /** Serves `body` (a string, bytes, or an object as JSON) at `path` with this Content-Type (none when null). */
  function serve(path, body, contentType = AP, status = 200) {
    routes.set(path, { status, contentType, body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
  }

  /** Answers GETs of `path` with 302 to `location`: an open redirect. */
  function redirect(path, location) {
    routes.set(path, { status: 302, contentType: null, body: "", location });
  }

  /** An actor document with `id`, its inbox under it, and `keys`' public key as `keyId`. */
  function actorDocument(id, keys, keyId = `${id}#main-key`) {
    return {
      "@context": CONTEXT,
      id,
      type: "Person",
      preferredUsername: id.split("/").at(-1),
      inbox: `${id}/inbox`,
      outbox: `${id}/outbox`,
      followers: `${id}/followers`,
      endpoints: { sharedInbox: `${origin}/inbox` },
      publicKey: { id: keyId, owner: id, publicKeyPem: keys.publicKey },
    };
  }

  /**
   * Adds an actor at /users/{name} with a fresh key pair; `alter` may change the
   * document before it is served.  Returns { id, keyId, keys, document }.
   */
  function actor(name, alter = (d) => d) {
    const keys = rsaKeyPair();
    const id = `${origin}/users/${name}`;
    const document = alter(actorDocument(id, keys));
    serve(`/users/${name}`, document);
    return { id, keyId: `${id}#main-key`, keys, document };
  }

  /** POSTs `activity` to `url`, signed with `privateKey` under `keyId`; answers { status, text }. */
  async function post(url, activity, { keyId, privateKey }) {
    const body = JSON.stringify(activity);
    const target = new URL(url);
    const date = new Date().toUTCString();
    const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
    const signingString = [
      `(request-target): post ${target.pathname}${target.search}`,
      `host: ${target.host}`,
      `date: ${date}`,
      `digest: ${digest}`,
    ].join("\n");
    const signature = createSign("sha256").update(signingString).sign(privateKey, "base64");
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": AP,
        accept: AP,
        date,
        digest,
        signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  async function stop() {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }

  return { origin, requests, serve, redirect, actorDocument, actor, post, stop };
}
