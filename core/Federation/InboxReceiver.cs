using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The HTTP side of personal and shared inboxes (ActivityPub §7): size, JSON, signature, key ownership and duplicate
/// checks, then one queue message and 202. Nothing is applied here; the inbox queue function does that.
/// Answers 401 when the signature cannot be verified (Fedify then retries with draft-cavage), 400 for bad input,
/// 413 for oversized bodies, 403 when the signing key is on a server or of an actor the operator suspended (checked
/// before the key is fetched); a rejected request changes nothing.
/// A FEP-8b32 <c>eddsa-jcs-2022</c> proof, when present, must hold (else 401); a valid one by the actor, made within
/// <see cref="ProofTimeWindow"/>, admits an activity relayed or forwarded under another actor's HTTP signature.
/// Storage: 2 reads (account, when personal) + key lookup (2 reads when cached) + 1 insert (seen; +1 read on the first
/// day of a UTC week, or for an activity admitted on its proof alone whose proof was made the previous week, see
/// <see cref="InboxSeenWeeklyStore"/>) + 1 queue send; a proof adds its key lookup (2 reads when cached).
/// </summary>
public sealed class InboxReceiver(
    AccountStore accounts,
    HttpSignatureVerifier verifier,
    ObjectProofVerifier proofs,
    InboxSeenWeeklyStore seen,
    PayloadStore payloads,
    WorkQueue queue,
    InstanceUrls urls,
    TimeProvider time,
    ILogger<InboxReceiver> logger,
    RemoteActorStore actorCache)
{
    /// <summary>Mastodon refuses inbox bodies over 1 MB as well; real activities are a few KB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task<WireResult> ReceiveAsync(HttpRequest request, string? username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Recent: the inbox function looks the account up afresh before anything is applied.
        if (username is not null && await accounts.GetByUsernameRecentAsync(username, cancellationToken) is null)
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "no such account");
        }

        if (request.ContentLength is > MaxBodyBytes)
        {
            return WireResult.Error(StatusCodes.Status413PayloadTooLarge, $"activity larger than {MaxBodyBytes} bytes");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return WireResult.Error(StatusCodes.Status413PayloadTooLarge, $"activity larger than {MaxBodyBytes} bytes");
        }

        JsonElement activity;
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            activity = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, "body is not JSON");
        }

        var type = ActorDocumentParser.TypeOf(activity);
        var actorId = ActorDocumentParser.String(activity, "actor");
        if (activity.ValueKind != JsonValueKind.Object || type is null || actorId is null
            || !Uri.TryCreate(actorId, UriKind.Absolute, out var actorUri) || (actorUri.Scheme != Uri.UriSchemeHttps && actorUri.Scheme != Uri.UriSchemeHttp))
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, "an activity needs a type and an absolute actor id");
        }

        var activityId = ActorDocumentParser.String(activity, "id");
        if (activityId is not null && (!Uri.TryCreate(activityId, UriKind.Absolute, out var idUri) || !ActorDocumentParser.SameOrigin(idUri, actorUri)))
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, "the activity id must be on the actor's host");
        }

        SignatureVerification verification;
        try
        {
            verification = await verifier.VerifyAsync(ToSignatureRequest(request, body), cancellationToken);
        }
        catch (RemoteFetchException ex) when (ex.Reason == RemoteFetchFailure.SuspendedDomain)
        {
            return Suspended(type, actorId);
        }
        catch (RemoteFetchException ex) when (!ex.IsPermanent)
        {
            // The signer's key could not be fetched just now: the sender should try again later.
            return WireResult.Error(StatusCodes.Status503ServiceUnavailable, "the signing key could not be fetched; try again later").WithHeader("Retry-After", "300");
        }
        catch (RemoteFetchException ex)
        {
            return WireResult.Error(StatusCodes.Status401Unauthorized, $"the signing key cannot be fetched: {ex.Reason}");
        }

        if (verification is SignatureVerification.Rejected unknownKey
            && type == "Delete" && ActorDocumentParser.String(activity, "object") == actorId && unknownKey.Reason.StartsWith(HttpSignatureVerifier.UnknownKeyPrefix, StringComparison.Ordinal))
        {
            // A deleted actor's document is gone (410), so its key cannot be fetched: a copy cached earlier still proves
            // its own Delete. Without one, accept it without effect rather than have the sender retry for days (Mastodon does the same).
            verification = await new HttpSignatureVerifier(new CachedKeyResolver(actorCache), time).VerifyAsync(ToSignatureRequest(request, body), cancellationToken);
            if (verification is SignatureVerification.Rejected)
            {
                return WireResult.Empty(StatusCodes.Status202Accepted);
            }
        }

        if (verification is SignatureVerification.Rejected rejected)
        {
            logger.LogInformation("Inbox refused {Type} from {Actor}: {Reason}", type, actorId, rejected.Reason);
            return WireResult.Error(StatusCodes.Status401Unauthorized, rejected.Reason);
        }

        var verified = (SignatureVerification.Verified)verification;
        ProofVerification proof;
        try
        {
            proof = await proofs.VerifyAsync(activity, actorId, cancellationToken);
        }
        catch (RemoteFetchException ex) when (ex.Reason == RemoteFetchFailure.SuspendedDomain)
        {
            return Suspended(type, actorId);
        }
        catch (RemoteFetchException ex) when (!ex.IsPermanent)
        {
            return WireResult.Error(StatusCodes.Status503ServiceUnavailable, "the proof's key could not be fetched; try again later").WithHeader("Retry-After", "300");
        }
        catch (RemoteFetchException ex)
        {
            return WireResult.Error(StatusCodes.Status401Unauthorized, $"the proof's key cannot be fetched: {ex.Reason}");
        }

        if (proof is ProofVerification.Rejected badProof)
        {
            // Stricter than Fedify, which ignores a failing proof and falls back to the HTTP signature: a proof that does
            // not hold means a tampered or broken document, and the 401 tells its sender so (docs/FEDERATION.md).
            logger.LogInformation("Inbox refused {Type} from {Actor}: object integrity proof: {Reason}", type, actorId, badProof.Reason);
            return WireResult.Error(StatusCodes.Status401Unauthorized, $"object integrity proof: {badProof.Reason}");
        }

        var provenByActor = proof is ProofVerification.Verified { Controller: var controller } && controller == actorId;
        if (!provenByActor && !HttpSignatureVerifier.IsOwnedBy(verified.Key, actorId))
        {
            logger.LogInformation("Inbox refused {Type} from {Actor}: signed by {KeyOwner}", type, actorId, verified.Key.OwnerId);
            return WireResult.Error(StatusCodes.Status401Unauthorized, "the signing key does not belong to the activity's actor");
        }

        // Admitted on the proof alone (a relay's HTTP signature is fresh whatever the activity's age): the proof's created bounds it.
        DateTimeOffset? provenAt = null;
        if (!HttpSignatureVerifier.IsOwnedBy(verified.Key, actorId))
        {
            provenAt = ObjectIntegrityProof.CreatedOf(activity, ((ProofVerification.Verified)proof).VerificationMethod);
            if (ProofTimeWindow.Check(provenAt, time.GetUtcNow()) is { } stale)
            {
                logger.LogInformation("Inbox refused {Type} from {Actor}: object integrity proof: {Reason}", type, actorId, stale);
                return WireResult.Error(StatusCodes.Status401Unauthorized, $"object integrity proof: {stale}");
            }
        }

        var dedupId = activityId ?? $"sha256:{StorageKeys.Sha256Hex(System.Text.Encoding.UTF8.GetString(body))}";
        var receivedAt = time.GetUtcNow();
        // A proven activity first seen as early as its created (less the skew margin) may lie in the previous week's rows.
        var earliest = provenAt is { } proven ? proven - ProofTimeWindow.ClockSkewMargin : (DateTimeOffset?)null;
        if (!await seen.TryClaimAsync(dedupId, receivedAt, earliest, cancellationToken))
        {
            return WireResult.Empty(StatusCodes.Status202Accepted);
        }

        try
        {
            var (inline, blob) = await payloads.StoreAsync(System.Text.Encoding.UTF8.GetString(body), cancellationToken);
            await queue.SendInboxAsync(new InboxMessage(inline, blob, actorId, receivedAt), cancellationToken);
        }
        catch
        {
            // Not enqueued: forget the id so the sender's retry is not mistaken for a duplicate.
            await seen.ForgetAsync(dedupId, receivedAt, CancellationToken.None);
            throw;
        }

        return WireResult.Empty(StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// The signer is on a server or is an account the operator suspended: 403 before any key fetch, as Mastodon answers
    /// (its <c>SignatureVerification</c> refuses the keyId's domain with 403); the sender stops retrying, nothing is stored.
    /// </summary>
    private WireResult Suspended(string type, string actorId)
    {
        logger.LogInformation("Inbox refused {Type} from {Actor}: suspended by the operator", type, actorId);
        return WireResult.Error(StatusCodes.Status403Forbidden, "this server does not accept activities from you");
    }

    private SignatureRequest ToSignatureRequest(HttpRequest request, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values.OfType<string>());
        }

        var target = (request.Path.HasValue ? request.Path.Value : "/") + (request.QueryString.HasValue ? request.QueryString.Value : "");
        return new SignatureRequest(request.Method, target, headers, body, urls.WebDomain, new Uri(urls.Base).Scheme);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
