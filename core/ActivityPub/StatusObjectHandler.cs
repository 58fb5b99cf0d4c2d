using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// A status at its ActivityPub id: the Note (or its Create at <c>/activity</c>) for federation clients, a redirect to the
/// web page for browsers, 410 with a Tombstone after deletion, 404 for private statuses (no authorised fetch yet).
/// Storage: 1 point read (status) + 2 (author) (+1 for a poll's counts: a Question).
/// </summary>
public sealed class StatusObjectHandler(StatusStore statuses, AccountStore accounts, NoteMapper notes, InstanceUrls urls, Polls.PollStore polls)
{
    public async Task<WireResult> GetAsync(HttpRequest request, string username, string id, bool activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A deleted account's statuses are tombstones as soon as the account is deleted, before the queued removal reaches them.
        var author = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        var status = author is null ? null : await statuses.GetAsync(id, cancellationToken);
        if (status is not null && author?.DeletedAt is { } accountDeletedAt)
        {
            status = status with { DeletedAt = status.DeletedAt ?? accountDeletedAt };
        }

        if (author is null || status is null || status.AccountId != author.Id || !NoteMapper.IsPubliclyReadable(status))
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithHeader("Vary", "Accept");
        }

        if (!ContentNegotiation.WantsActivityStreams(request))
        {
            return WireResult.Redirect(urls.StatusPage(author.Username, status.Id)).WithHeader("Vary", "Accept");
        }

        if (status.DeletedAt is not null)
        {
            return WireResult.Json(StatusCodes.Status410Gone, notes.Tombstone(status, author), ActorHandler.ActivityJsonContentType).WithHeader("Vary", "Accept");
        }

        var tally = status.Poll is null ? null : (await polls.GetAsync(status.Id, cancellationToken))?.Tally;
        var doc = activity ? notes.Create(status, author, tally) : WithContext(notes.ToNote(status, author, tally));
        return WireResult.Json(StatusCodes.Status200OK, doc, ActorHandler.ActivityJsonContentType)
            .WithHeader("Vary", "Accept")
            .WithHeader("Cache-Control", "max-age=180, public")
            .WithCors();
    }

    private static System.Text.Json.Nodes.JsonObject WithContext(System.Text.Json.Nodes.JsonObject note)
    {
        var doc = new System.Text.Json.Nodes.JsonObject { ["@context"] = NoteMapper.Context() };
        foreach (var (k, v) in note.ToList())
        {
            note.Remove(k);
            doc[k] = v;
        }

        return doc;
    }
}
