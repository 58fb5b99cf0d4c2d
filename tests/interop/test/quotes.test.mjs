// Quote posts interop (FEP-044f, as Mastodon 4.5): a real Fedify server (lib/fedify-peer.mjs) sends a QuoteRequest
// built with Fedify's own vocabulary for alice's post; the instance answers with an Accept whose result is a
// QuoteAuthorization that the peer dereferences and Fedify parses; masto.js then sees the quote counted and listed,
// and alice's revocation sends the peer a Delete of the authorization, whose URL then answers 404. The other way round,
// a peer Note's interactionPolicy.canQuote (as Fedify writes it) decides whether alice may quote it (422 when denied).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Create, InteractionPolicy, InteractionRule, Mention, Note, QuoteAuthorization, QuoteRequest } from "@fedify/vocab";
import { createRestAPIClient } from "masto";
import { startFedifyPeer } from "../lib/fedify-peer.mjs";
import { startInstance } from "../lib/instance.mjs";
import { waitFor as waitForOn } from "../lib/poll.mjs";

const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

describe("quote posts: a Fedify peer quotes alice", () => {
  let instance;
  let peer;
  let alice;
  let masto;
  let aliceActor;
  let status;
  let authorizationUrl;
  const quoteUrl = () => `${peer.origin}/notes/quote-1`;

  const waitFor = (...args) => waitForOn(instance, ...args);
  const peerState = () => `peer received: ${JSON.stringify(peer.received.map(({ raw, ...r }) => r))}\npeer deliveries: ${JSON.stringify(peer.deliveries)}`;

  before(async () => {
    instance = await startInstance();
    alice = await instance.createAccount({ username: "alice", displayName: "Alice Agency" });
    masto = createRestAPIClient({ url: instance.baseUrl, accessToken: await instance.createToken("alice", "read write"), timeout: 30_000 });
    peer = await startFedifyPeer({ identifiers: ["peer"] });
    console.log(`# instance ${instance.baseUrl} (log ${instance.logFile}); Fedify peer ${peer.origin}`);
  }, { timeout: 180_000 });

  after(async () => {
    await peer?.stop();
    await instance?.stop();
  });

  test("alice's post advertises that anyone may quote it", async () => {
    status = await masto.v1.statuses.create({ status: "The office opens at nine from Monday." });
    assert.deepEqual(status.quoteApproval?.automatic, ["public"]);
    const ctx = peer.ctx();
    aliceActor = await ctx.lookupObject(alice.actorUrl);
    assert.equal(aliceActor?.id?.href, alice.actorUrl, "Fedify could not look up alice");
    const note = await ctx.lookupObject(status.uri);
    assert.ok(note instanceof Note, `Fedify parsed a ${note?.constructor?.name}`);
    const approvals = note.interactionPolicy?.canQuote?.automaticApprovals ?? [];
    assert.ok(approvals.some((u) => u.href === PUBLIC.href), `Fedify reads canQuote.automaticApproval as ${JSON.stringify(approvals.map((u) => u.href))}`);
  });

  test("the peer's QuoteRequest is accepted with a QuoteAuthorization Fedify dereferences", async () => {
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    const request = new QuoteRequest({
      id: new URL(`${peer.origin}/quote-requests/1`),
      actor: peerUri,
      object: new URL(status.uri),
      instrument: new Note({ id: new URL(quoteUrl()), attribution: peerUri, to: PUBLIC, content: `<p>Good to know!</p><p>RE: ${status.uri}</p>`, quote: new URL(status.uri) }),
    });
    const first = peer.deliveries.length;
    await ctx.sendActivity({ identifier: "peer" }, aliceActor, request);
    const sent = peer.deliveries.slice(first).filter((d) => d.method === "POST").at(-1);
    assert.ok(sent && sent.status >= 200 && sent.status < 300, `the QuoteRequest delivery: ${JSON.stringify(sent)}`);

    const accept = await waitFor("the Accept of the QuoteRequest", () => peer.received.find((r) => r.type === "Accept" && r.raw?.object?.type === "QuoteRequest"), peerState);
    assert.equal(accept.actorId, alice.actorUrl);
    assert.equal(accept.raw.object.instrument, quoteUrl());
    authorizationUrl = accept.raw.result;
    assert.ok(authorizationUrl?.startsWith(`${status.uri}/quote_authorizations/`), `result ${authorizationUrl}`);

    const authorization = await ctx.lookupObject(authorizationUrl);
    assert.ok(authorization instanceof QuoteAuthorization, `Fedify parsed a ${authorization?.constructor?.name}`);
    assert.equal(authorization.id?.href, authorizationUrl);
    assert.equal(authorization.attributionId?.href, alice.actorUrl);
    assert.equal(authorization.interactingObjectId?.href, quoteUrl());
    assert.equal(authorization.interactionTargetId?.href, status.uri);
  });

  test("masto.js sees the quote counted and listed, and revokes it", async () => {
    const counted = await waitFor("quotes_count", async () => {
      const s = await masto.v1.statuses.$select(status.id).fetch();
      return s.quotesCount === 1 ? s : null;
    });
    assert.equal(counted.quotesCount, 1);
    const quotes = await masto.v1.statuses.$select(status.id).quotes.list();
    assert.equal(quotes.length, 1);
    assert.equal(quotes[0].uri, quoteUrl());
    assert.equal(quotes[0].quote?.state, "accepted");
    assert.equal(quotes[0].quote?.quotedStatus?.id, status.id);

    const response = await fetch(`${instance.baseUrl}/api/v1/statuses/${status.id}/quotes/${quotes[0].id}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${await instance.createToken("alice", "read write")}` },
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).quote?.state, "revoked");
    const deleted = await waitFor("the Delete of the authorization", () => peer.received.find((r) => r.type === "Delete" && r.objectId === authorizationUrl), peerState);
    assert.equal(deleted.actorId, alice.actorUrl);
    const gone = await fetch(authorizationUrl, { headers: { accept: "application/activity+json" } });
    assert.equal(gone.status, 404);
  });

  test("a peer Note's canQuote decides whether alice may quote it", async () => {
    const ctx = peer.ctx();
    const peerUri = ctx.getActorUri("peer");
    // Notes mentioning alice, sent to her inbox: she then finds them in her notifications.
    const send = async (id, extra) => {
      const note = new Note({
        id: ctx.getObjectUri(Note, { id }), attribution: peerUri, to: PUBLIC, ccs: [new URL(alice.actorUrl)],
        content: `<p>@alice Note ${id}</p>`, tags: [new Mention({ href: new URL(alice.actorUrl), name: "@alice" })], ...extra,
      });
      peer.notes.set(id, note);
      await ctx.sendActivity({ identifier: "peer" }, aliceActor, new Create({ id: new URL(`${note.id.href}/create`), actor: peerUri, object: note, to: PUBLIC, ccs: [new URL(alice.actorUrl)] }));
      return waitFor(`alice's mention by ${id}`, async () => (await masto.v1.notifications.list({ types: ["mention"] })).map((n) => n.status).find((s) => s?.uri === note.id.href), peerState);
    };
    const open = await send("quotable-1", { interactionPolicy: new InteractionPolicy({ canQuote: new InteractionRule({ automaticApprovals: [PUBLIC] }) }) });
    const closed = await send("unquotable-1", {});
    assert.deepEqual(open.quoteApproval, { automatic: ["public"], manual: [], currentUser: "automatic" }, "Fedify's canQuote as the instance reads it");
    assert.deepEqual(closed.quoteApproval, { automatic: [], manual: [], currentUser: "denied" }, "a Note without a policy: nobody, as Mastodon 4.5");

    await assert.rejects(masto.v1.statuses.create({ status: "Not allowed", quotedStatusId: closed.id }), (e) => e.statusCode === 422);
    const quoting = await masto.v1.statuses.create({ status: "Worth reading:", quotedStatusId: open.id });
    assert.equal(quoting.quote?.state, "pending");
    const request = await waitFor("the QuoteRequest for the quotable Note", () => peer.received.find((r) => r.type === "QuoteRequest" && r.objectId === open.uri), peerState);
    assert.equal(request.actorId, alice.actorUrl);
    assert.ok(!peer.received.some((r) => r.type === "QuoteRequest" && r.objectId === closed.uri), "no request for the refused quote");
  });
});
