using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Cards;

/// <summary>
/// Whom a page's <c>fediverse:creator</c> credits (Mastodon 4.3's author attribution; the card's <c>authors[].account</c>):
/// a remote account this instance already knows by that handle (WebFinger resolved it before: followed, searched, mentioned)
/// whose actor lists the page's host, or a parent domain of it, in its <c>attributionDomains</c>, as Mastodon checks
/// before crediting. Nothing is fetched for it: an unknown handle credits no one, so a page cannot make this instance
/// look up accounts on servers of its choosing. Our own accounts declare no attribution domains, so they are never
/// credited (as Mastodon's local accounts without them). Storage: 1 point read (the handle) + 1 point read (the actor).
/// </summary>
public sealed class CardCreators(RemoteActorStore actors, InstanceUrls urls)
{
    /// <summary>The most attribution domains kept of an actor (Mastodon lets its users set 100).</summary>
    public const int MaxAttributionDomains = 100;

    private const int MaxHandleChars = 300;

    /// <summary>The API id of the account <paramref name="handle"/> names, when it may be credited with a page served from <paramref name="page"/>; else null.</summary>
    public async Task<string?> AccountIdAsync(string? handle, Uri page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (handle is null || string.Equals(handle[(handle.LastIndexOf('@') + 1)..], new Uri(urls.Base).Authority, StringComparison.OrdinalIgnoreCase)
            || await actors.GetHandleAsync(handle, cancellationToken) is not { } known
            || await actors.GetAsync(known.ActorId, cancellationToken) is not { DeletedAt: null } actor)
        {
            return null;
        }

        return MayCredit(actor.AttributionDomains, page.Host) ? actor.AccountId : null;
    }

    /// <summary>Whether <paramref name="host"/> is one of <paramref name="domains"/> or under one of them (<c>news.example.org</c> under <c>example.org</c>; never <c>badexample.org</c>).</summary>
    public static bool MayCredit(IReadOnlyList<string> domains, string host)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var name = (host ?? "").TrimEnd('.').ToLowerInvariant();
        return name.Length > 0 && domains.Any(d => name == d || name.EndsWith("." + d, StringComparison.Ordinal));
    }

    /// <summary><c>user@domain</c> from a <c>fediverse:creator</c> value (<c>@user@domain</c> or <c>user@domain</c>); null for anything else.</summary>
    public static string? Handle(string? value)
    {
        var handle = (value ?? "").Trim().TrimStart('@');
        var at = handle.IndexOf('@', StringComparison.Ordinal);
        return handle.Length is > 2 and <= MaxHandleChars && at > 0 && at == handle.LastIndexOf('@') && at < handle.Length - 1
            && handle.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '@' or ':')
            ? handle
            : null;
    }

    /// <summary>An attribution domain as stored: a host name, lower case, without scheme or a leading <c>*.</c>; null when it is none.</summary>
    public static string? Domain(string? value)
    {
        var host = (value ?? "").Trim().ToLowerInvariant();
        foreach (var prefix in (string[])["https://", "http://", "*."])
        {
            host = host.StartsWith(prefix, StringComparison.Ordinal) ? host[prefix.Length..] : host;
        }

        host = host.TrimEnd('.');
        return host.Length is > 0 and <= 253 && Uri.CheckHostName(host) is UriHostNameType.Dns ? host : null;
    }
}
