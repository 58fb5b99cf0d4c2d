using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Migration;

/// <summary>
/// The account an operator or an import names: <c>@user@domain</c> (WebFinger through <see cref="AccountResolver"/>, or
/// a local account when the domain is ours), <c>user</c> (local) or an actor URL. Null when it cannot be had (unknown,
/// unreachable, suspended, refused by the address guard). Storage: what the resolver costs, or 1-2 point reads when local.
/// </summary>
public sealed class MigrationTargets(AccountResolver resolver, RemoteActorResolver actors, AccountDirectory directory, InstanceUrls urls)
{
    /// <param name="fresh">Fetch a remote actor's document again (its <c>alsoKnownAs</c> may have changed a minute ago).</param>
    public async Task<AccountRef?> ResolveAsync(string named, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(named);
        var text = named.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            if (directory.IsLocalActor(text))
            {
                return await directory.GetByActorIdAsync(text, cancellationToken);
            }

            var byUrl = await resolver.ResolveUrlAsync(text, cancellationToken);
            return byUrl is null ? null : await FreshAsync(byUrl, fresh, cancellationToken);
        }

        var parts = text.TrimStart('@').Split('@');
        var (user, domain) = parts switch
        {
            [{ Length: > 0 } u] => (u, urls.AccountDomain),
            [{ Length: > 0 } u, { Length: > 0 } d] => (u, d),
            _ => (null, null),
        };
        if (user is null || domain is null)
        {
            return null;
        }

        if (string.Equals(domain, urls.AccountDomain, StringComparison.OrdinalIgnoreCase) || string.Equals(domain, urls.WebDomain, StringComparison.OrdinalIgnoreCase))
        {
            return await directory.GetByActorIdAsync(urls.Actor(user), cancellationToken);
        }

        var actor = await resolver.ResolveHandleAsync(user, domain, cancellationToken);
        return actor is null ? null : await FreshAsync(actor, fresh, cancellationToken);
    }

    private async Task<AccountRef?> FreshAsync(RemoteActor actor, bool fresh, CancellationToken cancellationToken)
    {
        var current = fresh ? await actors.GetActorAsync(actor.Id, refresh: true, cancellationToken) : actor;
        return current is null ? null : AccountDirectory.Of(current);
    }
}
