// A real Fedify server, served over plain http on 127.0.0.1, used as the
// remote peer of a ServerlessFedi instance in interop tests.
//
// Actors live at /users/{identifier} (one per name given to startFedifyPeer),
// each with an RSASSA-PKCS1-v1_5 2048 key (publicKey, HTTP signatures) and an
// Ed25519 key (assertionMethod, Object Integrity Proofs), generated once.
// Inboxes are /users/{identifier}/inbox and the shared /inbox.  Every activity
// that reaches an inbox listener has passed Fedify's own verification; it is
// recorded in `received` together with what the HTTP layer saw (signature
// scheme, raw JSON body).  Activities Fedify refused are recorded in
// `unverified`, and every HTTP request the peer served in `requests`.
//
// With `acceptFollows: true` the peer also behaves like a server that can be
// followed: each actor has a followers collection (/users/{identifier}/followers,
// served from `followers`), a verified Follow of one of its actors is answered
// with a signed Accept through Fedify's sendActivity and adds the follower, and
// a verified Undo(Follow) removes it again.  sendActivity(..., "followers", ...)
// then reaches them.  Without the option nothing of this exists (the actor has
// no `followers`, Follows are only recorded).
//
// `aliases` (identifier -> array of actor URLs, changeable while the peer runs)
// is served as the actor's alsoKnownAs, as a server does for an account that
// an account elsewhere may move to.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { Accept, Activity, Create, Delete, Endpoints, Follow, Note, Person, QuoteRequest, Reject, Undo, Update } from "@fedify/vocab";
import { freePort } from "./instance.mjs";

/** Which HTTP signature scheme a request carries, judged from its headers. */
export function signatureScheme(headers) {
  if (headers.get("signature-input")) return "rfc9421";
  const sig = headers.get("signature");
  if (sig && /keyId\s*=/i.test(sig)) return "draft-cavage";
  return "none";
}

const RECORDED = [Accept, Reject, Update, Create, Delete, QuoteRequest];

export async function startFedifyPeer({ identifiers = ["peer"], acceptFollows = false, aliases = new Map() } = {}) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;

  const keys = new Map();
  for (const identifier of identifiers) {
    keys.set(identifier, {
      rsa: await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
      ed25519: await generateCryptoKeyPair("Ed25519"),
    });
  }

  const requests = []; // every HTTP request the peer served
  const received = []; // activities that passed Fedify's verification
  const unverified = []; // activities Fedify refused (401)
  const errors = []; // errors thrown by listeners
  const current = new AsyncLocalStorage();
  // identifier -> Map(follower actor id -> Fedify Recipient); only with acceptFollows.
  const followers = new Map(identifiers.map((identifier) => [identifier, new Map()]));

  const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });

  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (!keys.has(identifier)) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: `Fedify ${identifier}`,
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0].cryptographicKey,
        assertionMethods: pairs.map((p) => p.multikey),
        ...(acceptFollows ? { followers: ctx.getFollowersUri(identifier) } : {}),
        ...(aliases.has(identifier) ? { aliases: aliases.get(identifier).map((a) => new URL(a)) } : {}),
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) => {
      const k = keys.get(identifier);
      return k ? [k.rsa, k.ed25519] : [];
    });

  // Notes served at /notes/{id} (put them in `notes` by that id), for activities that name a note only by its URL.
  const notes = new Map();
  federation.setObjectDispatcher(Note, "/notes/{id}", (_ctx, values) => notes.get(values.id) ?? null);

  const record = async (ctx, activity) => {
    const http = current.getStore() ?? {};
    let raw = null;
    try {
      raw = JSON.parse(http.body ?? "null");
    } catch {
      raw = null;
    }
    received.push({
      type: activity.constructor.name,
      id: activity.id?.href ?? null,
      actorId: activity.actorId?.href ?? null,
      objectId: activity.objectId?.href ?? null,
      recipient: ctx.recipient, // null: the shared inbox
      path: http.path ?? null,
      scheme: http.scheme ?? null,
      keyId: http.keyId ?? null,
      hasProof: activity.proofIds.length > 0 || raw?.proof != null,
      raw,
      at: Date.now(),
    });
  };

  if (acceptFollows) {
    federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
      const set = followers.get(identifier);
      return set ? { items: [...set.values()] } : null;
    });
  }

  // The local actor an incoming Follow is for, or null.
  const followedIdentifier = (ctx, follow) => {
    const parsed = follow.objectId ? ctx.parseUri(follow.objectId) : null;
    return parsed?.type === "actor" && followers.has(parsed.identifier) ? parsed.identifier : null;
  };

  const inbox = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");
  for (const cls of RECORDED) inbox.on(cls, record);
  if (acceptFollows) {
    inbox.on(Follow, async (ctx, follow) => {
      await record(ctx, follow);
      const identifier = followedIdentifier(ctx, follow);
      if (identifier == null || follow.actorId == null) return;
      const follower = await follow.getActor(ctx);
      if (follower?.id == null || follower.inboxId == null) return;
      followers.get(identifier).set(follower.id.href, {
        id: follower.id,
        inboxId: follower.inboxId,
        endpoints: follower.endpoints,
      });
      await ctx.sendActivity(
        { identifier },
        follower,
        new Accept({
          id: new URL(`/accepts/${encodeURIComponent(follow.id?.href ?? crypto.randomUUID())}`, origin),
          actor: ctx.getActorUri(identifier),
          object: follow,
        }),
      );
    });
    inbox.on(Undo, async (ctx, undo) => {
      await record(ctx, undo);
      const object = await undo.getObject(ctx);
      if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId?.href) return;
      const identifier = followedIdentifier(ctx, object);
      if (identifier != null) followers.get(identifier).delete(undo.actorId.href);
    });
  }
  inbox.on(Activity, record); // anything else, recorded under its class name
  inbox.onUnverifiedActivity((_ctx, activity, reason) => {
    const http = current.getStore() ?? {};
    unverified.push({
      type: activity.constructor.name,
      id: activity.id?.href ?? null,
      reason: reason.type,
      keyId: reason.keyId?.href ?? http.keyId ?? null,
      fetchStatus: reason.result && "status" in reason.result ? reason.result.status : undefined,
      fetchError: reason.result && "error" in reason.result ? String(reason.result.error) : undefined,
      path: http.path ?? null,
      scheme: http.scheme ?? null,
      at: Date.now(),
    });
    // void: Fedify answers 401 as usual.
  });
  inbox.onError((_ctx, error) => {
    errors.push(error);
  });

  const server = http.createServer(async (req, res) => {
    const info = { method: req.method, path: req.url, at: Date.now() };
    requests.push(info);
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value != null) headers.set(name, value);
      }
      info.scheme = signatureScheme(headers);
      info.keyId =
        /keyid="([^"]+)"/i.exec(headers.get("signature-input") ?? headers.get("signature") ?? "")?.[1] ?? null;
      info.accept = headers.get("accept");
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      if (hasBody) info.body = body.toString("utf8");
      const request = new Request(new URL(req.url, origin), {
        method: req.method,
        headers,
        body: hasBody ? body : undefined,
      });
      const response = await current.run(info, () => federation.fetch(request, { contextData: undefined }));
      info.status = response.status;
      const outHeaders = {};
      response.headers.forEach((value, name) => {
        outHeaders[name] = value;
      });
      const out = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, outHeaders);
      res.end(out);
    } catch (e) {
      info.status = 500;
      info.error = String(e?.stack ?? e);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });

  // Fedify delivers through the global fetch; a wrapper sees each signed
  // attempt (double-knocking included) and its answer.
  const deliveries = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : null;
    const headers = new Headers(request?.headers ?? init?.headers ?? undefined);
    const scheme = signatureScheme(headers);
    const response = await realFetch(input, init);
    if (scheme !== "none") {
      deliveries.push({
        method: request?.method ?? init?.method ?? "GET",
        url: request?.url ?? String(input),
        scheme,
        status: response.status,
        at: Date.now(),
      });
    }
    return response;
  };

  const ctx = () => federation.createContext(new URL(origin), undefined);

  async function stop() {
    if (globalThis.fetch !== realFetch) globalThis.fetch = realFetch;
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return {
    origin,
    port,
    federation,
    ctx,
    keys,
    actorUri: (identifier) => new URL(`/users/${identifier}`, origin),
    keyId: (identifier) => new URL(`/users/${identifier}#main-key`, origin),
    requests,
    received,
    unverified,
    errors,
    followers,
    deliveries,
    notes,
    aliases,
    stop,
  };
}
