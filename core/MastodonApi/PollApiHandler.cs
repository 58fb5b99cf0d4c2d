using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/polls/:id</c> and <c>/votes</c> (docs: methods/polls). The id is the status's; a poll is seen by whoever
/// may see its status (else 404). A vote answers the poll with the voter's votes; a refused vote 422 with Mastodon's
/// message (ended, already voted, no such option, one's own poll).
/// </summary>
public sealed class PollApiHandler(ApiEndpoint api, StatusStore statuses, StatusRenderer renderer, StatusLookups lookups, PollService polls)
{
    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), async r =>
        {
            var status = await VisibleAsync(id, r.Viewer, cancellationToken);
            return status is not null && await lookups.PollAsync(status, r.Viewer, cancellationToken) is { } poll ? Ok(poll, Wire.Poll) : NotFound();
        }, cancellationToken);

    public Task<WireResult> VoteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var status = await VisibleAsync(id, r.Account, cancellationToken);
            if (status?.Poll is null)
            {
                return NotFound();
            }

            var choices = new List<int>();
            foreach (var text in r.Parameters.GetAll("choices"))
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var choice))
                {
                    return Error(ServiceError.Invalid, InvalidChoice);
                }

                choices.Add(choice);
            }

            if (choices.Count == 0)
            {
                return BadRequest("param is missing or the value is empty: choices");
            }

            var (outcome, _, _) = await polls.VoteAsync(r.Account, status, choices, cancellationToken);
            return outcome switch
            {
                PollVoteOutcome.Counted => Ok((await lookups.PollAsync(status, r.Account, cancellationToken))!, Wire.Poll),
                PollVoteOutcome.Expired => Error(ServiceError.Invalid, "Validation failed: The poll has already ended"),
                PollVoteOutcome.AlreadyVoted => Error(ServiceError.Invalid, "Validation failed: You have already voted on this poll"),
                PollVoteOutcome.OwnPoll => Error(ServiceError.Invalid, "Validation failed: You cannot vote in your own polls"),
                PollVoteOutcome.InvalidChoice => Error(ServiceError.Invalid, InvalidChoice),
                _ => NotFound(),
            };
        }, cancellationToken);

    private const string InvalidChoice = "Validation failed: The chosen vote option does not exist";

    private async Task<Status?> VisibleAsync(string id, Accounts.LocalAccount? viewer, CancellationToken cancellationToken) =>
        SnowflakeIds.IsValid(id) && await statuses.GetAsync(id, cancellationToken) is { DeletedAt: null } status && await renderer.CanSeeAsync(status, viewer, cancellationToken) ? status : null;
}
