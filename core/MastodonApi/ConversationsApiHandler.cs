using Microsoft.AspNetCore.Http;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Direct conversations (docs: methods/conversations): <c>GET /api/v1/conversations</c> (newest status first, <c>limit</c>
/// 20, at most 40, <c>max_id</c> a last status id), <c>POST /api/v1/conversations/:id/read</c> and
/// <c>DELETE /api/v1/conversations/:id</c>; scopes <c>read:statuses</c> and <c>write:conversations</c>. A conversation is
/// a direct thread (by its root status) the caller wrote in or was mentioned in, local or remote; its last status is
/// shown only while the caller may see it. Storage: auth + 1 range query + 1 status read per conversation and 1 read per
/// participant (in parallel) + one rendering of all last statuses together.
/// </summary>
public sealed class ConversationsApiHandler(ApiEndpoint api, ConversationStore conversations, StatusStore statuses, AccountDirectory directory, StatusRenderer renderer, AccountMapper accounts)
{
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
        {
            var maxId = r.Query("max_id") is { Length: > 0 } m ? m : null;
            var page = await conversations.ListAsync(r.Account.Id, maxId, r.Limit(20, 40), cancellationToken);
            return Ok(await ShowAsync(page, r, cancellationToken), Wire.IReadOnlyListConversation);
        }, cancellationToken);

    public Task<WireResult> ReadAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:conversations"), async r =>
            await conversations.MarkReadAsync(r.Account.Id, id, cancellationToken)
                && await conversations.GetAsync(r.Account.Id, id, cancellationToken) is { } read
                && await ShowAsync([read], r, cancellationToken) is [var shown]
                ? Ok(shown, Wire.Conversation)
                : NotFound(), cancellationToken);

    public Task<WireResult> RemoveAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:conversations"), async r =>
            await conversations.RemoveAsync(r.Account.Id, id, cancellationToken) ? Done() : NotFound(), cancellationToken);

    /// <summary>The conversations whose last status the caller may see, in order; their last statuses rendered in one pass.</summary>
    private async Task<IReadOnlyList<Entities.Conversation>> ShowAsync(IReadOnlyList<DirectConversation> page, ApiRequest r, CancellationToken cancellationToken)
    {
        var lasts = await statuses.GetManyAsync(page.Select(c => c.LastStatusId).Distinct(StringComparer.Ordinal), cancellationToken);
        var visible = await renderer.VisibleAsync(lasts.Where(s => s.DeletedAt is null), r.Account, cancellationToken);
        var rendered = (await renderer.ListAsync(visible, r.Account, cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var participantIds = page.SelectMany(c => c.ParticipantIds).Distinct(StringComparer.Ordinal).ToList();
        var participants = (await Task.WhenAll(participantIds.Select(id => directory.GetByApiIdAsync(id, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ApiId, StringComparer.Ordinal);
        return [.. page
            .Where(c => rendered.ContainsKey(c.LastStatusId))
            .Select(c => new Entities.Conversation(c.Id, c.Unread, [.. c.ParticipantIds.Where(participants.ContainsKey).Select(id => accounts.ToAccount(participants[id]))], rendered[c.LastStatusId]))];
    }
}
