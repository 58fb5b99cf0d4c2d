using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Who may see a status (docs: entities/Status#visibility): public and unlisted everyone; private the author, the
/// mentioned and accepted followers; direct the author and the mentioned. Deleted statuses nobody.
/// Storage: none, or for a private status seen by someone else 1-2 point reads (author, kept per process: <see cref="AccountDirectory.GetRecentByApiIdAsync"/>) + 1 (their follow, always fresh).
/// </summary>
public sealed class StatusVisibility(AccountDirectory directory, FollowingStore following)
{
    public async Task<bool> CanSeeAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.DeletedAt is not null)
        {
            return false;
        }

        if (NoteMapper.IsPubliclyReadable(status))
        {
            return true;
        }

        if (viewer is null)
        {
            return false;
        }

        if (status.AccountId == viewer.Id || status.Mentions.Any(m => m.AccountId == viewer.Id))
        {
            return true;
        }

        if (status.Visibility != Visibility.Private)
        {
            return false;
        }

        var author = await directory.GetRecentByApiIdAsync(status.AccountId, cancellationToken);
        return author is not null && (await following.GetAsync(viewer.Id, author.ActorId, cancellationToken))?.State == FollowingStore.Accepted;
    }
}
