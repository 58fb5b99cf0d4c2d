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
/// shown only while the caller may see it. Storage: auth + 1 range query + per conversation 1 status read and 1 read per
/// participant (in parallel) + rendering.
/// </summary>
public sealed class ConversationsApiHandler(ApiEndpoint api, ConversationStore conversations, StatusStore statuses, AccountDirectory directory, StatusRenderer renderer, AccountMapper accounts)
{
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
        {
            var maxId = r.Query("max_id") is { Length: > 0 } m ? m : null;
            var page = await conversations.ListAsync(r.Account.Id, maxId, r.Limit(20, 40), cancellationToken);
            var shown = await Task.WhenAll(page.Select(c => ShowAsync(c, r, cancellationToken)));
            return Ok([.. shown.OfType<Entities.Conversation>()], Wire.IReadOnlyListConversation);
        }, cancellationToken);

    public Task<WireResult> ReadAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:conversations"), async r =>
            await conversations.MarkReadAsync(r.Account.Id, id, cancellationToken)
                && await conversations.GetAsync(r.Account.Id, id, cancellationToken) is { } read
                && await ShowAsync(read, r, cancellationToken) is { } shown
                ? Ok(shown, Wire.Conversation)
                : NotFound(), cancellationToken);

    public Task<WireResult> RemoveAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:conversations"), async r =>
            await conversations.RemoveAsync(r.Account.Id, id, cancellationToken) ? Done() : NotFound(), cancellationToken);

    private async Task<Entities.Conversation?> ShowAsync(DirectConversation conversation, ApiRequest r, CancellationToken cancellationToken)
    {
        var last = await statuses.GetAsync(conversation.LastStatusId, cancellationToken);
        var lastStatus = last is null || last.DeletedAt is not null || !await renderer.CanSeeAsync(last, r.Account, cancellationToken)
            ? null
            : await renderer.ShowAsync(last, r.Account, cancellationToken);
        var participants = await Task.WhenAll(conversation.ParticipantIds.Select(id => directory.GetByApiIdAsync(id, cancellationToken)));
        return lastStatus is null ? null : new Entities.Conversation(conversation.Id, conversation.Unread, [.. participants.OfType<AccountRef>().Select(accounts.ToAccount)], lastStatus);
    }
}
