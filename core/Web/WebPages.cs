using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;
using ServerlessFedi.Statuses;
using ServerlessFedi.Web.Pages;

namespace ServerlessFedi.Web;

/// <summary>
/// The public web: front page with the account directory, profiles with their public posts, status pages with their
/// thread, the remote-follow aid, and the about, imprint and privacy pages. Server-rendered Razor components (escaped by
/// the template engine), no script, no cookie, nothing from another origin; see <see cref="WebResponses"/> for headers.
/// Each page speaks the language <see cref="PageLanguages"/> chooses for the request. Storage transactions per page are
/// listed in docs/PERFORMANCE.md. A post's poll shows its results (<see cref="PostPoll"/>), its accepted quote the quoted post (<see cref="PostQuotes"/>).
/// </summary>
public sealed class WebPages(AccountStore accounts, AccountListingStore listings, StatusStore statuses, InstanceUrls urls, FediOptions options, PageRenderer renderer, PageLanguages languages, Polls.PollStore polls, TimeProvider time, PostQuotes quotes)
{
    public const int PostsPerPage = 20;
    public const int AccountsPerPage = 40;

    /// <summary>How far a thread page follows in-reply-to links upwards: each step is a point read.</summary>
    public const int MaxAncestors = 20;

    public const int MaxReplies = 60;

    private SiteInfo Site => new(
        options.InstanceTitle,
        urls.Base + "/",
        urls.About,
        urls.Imprint,
        urls.PrivacyPolicy,
        $"{urls.Base}/assets/web.css?v={WebStylesheet.Version}");

    private string AvatarUrl => $"{urls.Base}/avatars/original/missing.png";

    private string HeaderUrl => $"{urls.Base}/headers/original/missing.png";

    public async Task<WireResult> FrontAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = languages.For(request);
        var after = request.Query["after"].ToString();
        var page = await listings.ListDirectoryAsync(string.IsNullOrEmpty(after) ? null : after, AccountsPerPage, cancellationToken);
        var entries = page.Accounts.Select(a => new DirectoryView(
            string.IsNullOrWhiteSpace(a.DisplayName) ? a.Username : a.DisplayName,
            Handle(a.Username),
            urls.Profile(a.Username),
            AvatarUrl,
            Summary(a.Note),
            a.StatusesCount, a.FollowersCount)).ToList();
        var canonical = string.IsNullOrEmpty(after) ? urls.Base + "/" : $"{urls.Base}/?after={Uri.EscapeDataString(after)}";
        var head = new PageHead
        {
            Title = language["Front.Title"],
            Description = Excerpt(options.InstanceDescription, 200),
            CanonicalUrl = canonical,
            ActivityJsonUrl = urls.InstanceActor,
        };
        return await PageAsync<FrontPage>(request, StatusCodes.Status200OK, language, new()
        {
            [nameof(FrontPage.Site)] = Site,
            [nameof(FrontPage.Head)] = head,
            [nameof(FrontPage.Description)] = PlainText.Blocks(options.InstanceDescription),
            [nameof(FrontPage.ContactEmail)] = string.IsNullOrWhiteSpace(options.ContactEmail) ? null : options.ContactEmail,
            [nameof(FrontPage.Accounts)] = entries,
            [nameof(FrontPage.NextUrl)] = page.NextAfter is null ? null : $"{urls.Base}/?after={page.NextAfter}",
        });
    }

    /// <summary>A profile with its public posts, newest first; <c>?max_id=</c> pages back.</summary>
    public async Task<WireResult> ProfileAsync(string username, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = languages.For(request);
        var account = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        if (account is null)
        {
            return await AccountNotFoundAsync(request);
        }

        if (account.DeletedAt is not null)
        {
            return await ErrorAsync(request, StatusCodes.Status410Gone, "Error.Deleted", "Error.AccountDeleted");
        }

        var maxId = request.Query["max_id"].ToString() is var m && Storage.SnowflakeIds.IsValid(m) ? m : null;
        var page = await statuses.GetAccountStatusesAsync(account.Id, maxId, PostsPerPage, cancellationToken);
        var shownPage = page.Where(s => s.Visibility == Visibility.Public && s.DeletedAt is null).ToList();
        var (tallies, quoted) = (await polls.GetManyAsync([.. shownPage.Where(s => s.Poll is not null).Select(s => s.Id)], cancellationToken), await quotes.ForAsync(shownPage, cancellationToken));
        var posts = shownPage.Select(s => Post(s, account, tallies.GetValueOrDefault(s.Id), quoted.GetValueOrDefault(s.Id))).ToList();
        var profile = Profile(account);
        var canonical = maxId is null ? profile.ProfileUrl : $"{profile.ProfileUrl}?max_id={maxId}";
        var head = new PageHead
        {
            Title = $"{profile.DisplayName} ({profile.Handle})",
            Description = profile.Bio.Count > 0 ? Excerpt(string.Join(" ", profile.Bio.SelectMany(b => b.Lines)), 200) : language.Format("Profile.Description", profile.Handle),
            CanonicalUrl = canonical,
            OgType = "profile",
            ActivityJsonUrl = profile.ActorUrl,
            RssUrl = $"{profile.ProfileUrl}.rss",
            AtomUrl = $"{profile.ProfileUrl}.atom",
            Indexable = account.Indexable,
        };
        return await PageAsync<ProfilePage>(request, StatusCodes.Status200OK, language, new()
        {
            [nameof(ProfilePage.Site)] = Site,
            [nameof(ProfilePage.Head)] = head,
            [nameof(ProfilePage.Profile)] = profile,
            [nameof(ProfilePage.Posts)] = posts,
            [nameof(ProfilePage.OlderUrl)] = page.Count >= PostsPerPage ? $"{profile.ProfileUrl}?max_id={page[^1].Id}" : null,
            [nameof(ProfilePage.NewerUrl)] = maxId is null ? null : profile.ProfileUrl,
        }, WebResponses.ContentSecurityPolicyWithRemoteFollow);
    }

    /// <summary>
    /// A public or unlisted status with its thread: local ancestors (bounded) and local public or unlisted replies.
    /// Others are not found (404); deleted ones are gone (410).
    /// </summary>
    public async Task<WireResult> StatusAsync(string username, string statusId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        var status = account is null ? null : await statuses.GetAsync(statusId, cancellationToken);
        if (account is null || status is null || status.AccountId != account.Id || !NoteMapper.IsPubliclyReadable(status))
        {
            return await StatusNotFoundAsync(request);
        }

        if (status.DeletedAt is not null || account.DeletedAt is not null)
        {
            return await ErrorAsync(request, StatusCodes.Status410Gone, "Error.Deleted", "Error.PostDeleted");
        }

        var authors = new Dictionary<string, LocalAccount?> { [account.Id] = account };
        var ancestors = new List<PostView>();
        string? externalParent = null;
        var current = status;
        while (current.InReplyToId is { } parentId && ancestors.Count < MaxAncestors)
        {
            var parent = await statuses.GetAsync(parentId, cancellationToken);
            var parentAuthor = parent is null ? null : await AuthorAsync(authors, parent.AccountId, cancellationToken);
            if (parent is null || parentAuthor is null || parent.DeletedAt is not null || !NoteMapper.IsPubliclyReadable(parent))
            {
                break;
            }

            ancestors.Add(Post(parent, parentAuthor));
            current = parent;
        }

        ancestors.Reverse();
        if (status.InReplyToId is null && status.InReplyToUri is { Length: > 0 } remoteParent && Uri.TryCreate(remoteParent, UriKind.Absolute, out var parentUri)
            && parentUri.Scheme == Uri.UriSchemeHttps)
        {
            externalParent = parentUri.AbsoluteUri;
        }

        var replies = new List<PostView>();
        foreach (var reply in await statuses.GetRepliesAsync(status.Id, MaxReplies, cancellationToken))
        {
            if (reply.DeletedAt is null && NoteMapper.IsPubliclyReadable(reply) && await AuthorAsync(authors, reply.AccountId, cancellationToken) is { } replyAuthor)
            {
                replies.Add(Post(reply, replyAuthor));
            }
        }

        var post = Post(status, account, status.Poll is null ? null : (await polls.GetAsync(status.Id, cancellationToken))?.Tally, (await quotes.ForAsync([status], cancellationToken)).GetValueOrDefault(status.Id));
        var language = languages.For(request);
        var head = new PageHead
        {
            Title = language.Format("Status.Title", post.AuthorName, Excerpt(status.SpoilerText.Length > 0 ? status.SpoilerText : status.Text, 60)),
            Description = Excerpt(status.SpoilerText.Length > 0 ? status.SpoilerText : status.Text, 200),
            CanonicalUrl = post.Url,
            OgType = "article",
            ActivityJsonUrl = post.Uri,
            Indexable = account.Indexable && status.Visibility == Visibility.Public,
        };
        return await PageAsync<StatusPage>(request, StatusCodes.Status200OK, language, new()
        {
            [nameof(StatusPage.Site)] = Site,
            [nameof(StatusPage.Head)] = head,
            [nameof(StatusPage.Post)] = post,
            [nameof(StatusPage.Ancestors)] = ancestors,
            [nameof(StatusPage.Replies)] = replies,
            [nameof(StatusPage.ExternalParentUrl)] = externalParent,
        });
    }

    /// <summary>
    /// The remote-follow form and its target. Only the form's POST redirects (302) a valid server or handle to that
    /// server's <c>authorize_interaction</c> page for this account's actor: a link (GET) never leaves this site, it shows
    /// the form filled in, so a URL on the agency's domain cannot send a citizen elsewhere (the open redirects Mastodon
    /// removed in 4.3, GHSA-xqw8-4j56-5hj6). Anything invalid gets the form again with the reason (400).
    /// </summary>
    public async Task<WireResult> RemoteFollowAsync(string username, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = await accounts.GetByUsernameAsync(username, cancellationToken);
        if (account is null)
        {
            return await AccountNotFoundAsync(request);
        }

        var profile = Profile(account);
        var language = languages.For(request);
        var submitted = HttpMethods.IsPost(request.Method);
        var input = submitted ? await ReadAcctAsync(request, cancellationToken) : request.Query["acct"].ToString();
        var host = RemoteFollowTarget.ParseHost(input);
        if (submitted && host is not null)
        {
            return WebResponses.Secure(WireResult.Redirect(RemoteFollowTarget.AuthorizeInteractionUrl(host, profile.ActorUrl)))
                .WithHeader("Cache-Control", "no-store");
        }

        var error = host is null && (submitted || !string.IsNullOrWhiteSpace(input)) ? language["RemoteFollow.Invalid"] : null;
        return await RemoteFollowFormAsync(profile, language, input, error);
    }

    /// <summary>The form's <c>acct</c> field; empty when the body is not a small URL-encoded form (at most a few fields of 1 KiB).</summary>
    private static async Task<string> ReadAcctAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentLength is > 4096)
        {
            return "";
        }

        try
        {
            var form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = 8, KeyLengthLimit = 64, ValueLengthLimit = 1024, BufferBodyLengthLimit = 4096 }, cancellationToken);
            return form["acct"].ToString();
        }
        catch (InvalidDataException)
        {
            return "";
        }
    }

    private async Task<WireResult> RemoteFollowFormAsync(ProfileView profile, PageLanguage language, string input, string? error)
    {
        var head = new PageHead
        {
            Title = language.Format("RemoteFollow.Title", profile.DisplayName),
            Description = language.Format("RemoteFollow.Description", profile.Handle),
            CanonicalUrl = profile.RemoteFollowUrl,
            Indexable = false,
        };
        var html = await renderer.RenderAsync<RemoteFollowPage>(new Dictionary<string, object?>
        {
            [nameof(RemoteFollowPage.Site)] = Site,
            [nameof(RemoteFollowPage.Head)] = head,
            [nameof(RemoteFollowPage.Profile)] = profile,
            [nameof(RemoteFollowPage.Error)] = error,
            [nameof(RemoteFollowPage.Value)] = input.Length > RemoteFollowTarget.MaxInputLength ? input[..RemoteFollowTarget.MaxInputLength] : input,
        }, language);
        var result = WireResult.Text(error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, html, "text/html; charset=utf-8");
        return WithVary(WebResponses.Secure(result, WebResponses.ContentSecurityPolicyWithRemoteFollow).WithHeader("Cache-Control", "no-store"), language);
    }

    public async Task<WireResult> AboutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var totals = await listings.GetTotalsAsync(cancellationToken);
        var language = languages.For(request);
        var head = new PageHead { Title = language["About.Title"], Description = Excerpt(options.InstanceDescription, 200), CanonicalUrl = urls.About };
        return await PageAsync<AboutPage>(request, StatusCodes.Status200OK, language, new()
        {
            [nameof(AboutPage.Site)] = Site,
            [nameof(AboutPage.Head)] = head,
            [nameof(AboutPage.Description)] = PlainText.Blocks(options.InstanceDescription),
            [nameof(AboutPage.ContactEmail)] = string.IsNullOrWhiteSpace(options.ContactEmail) ? null : options.ContactEmail,
            [nameof(AboutPage.Domain)] = urls.AccountDomain,
            [nameof(AboutPage.Users)] = totals.Users,
            [nameof(AboutPage.Languages)] = string.Join(", ", options.Languages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(code => PageLanguage.NativeName(System.Globalization.CultureInfo.GetCultureInfo(code)))),
        });
    }

    public Task<WireResult> ImprintAsync(HttpRequest request) =>
        TextPageAsync(request, "Shell.Imprint", $"{urls.Base}/imprint", options.ImprintText, options.ImprintUrl, "Imprint.Link", "Imprint.Missing");

    public Task<WireResult> PrivacyAsync(HttpRequest request) =>
        TextPageAsync(request, "Shell.Privacy", $"{urls.Base}/privacy", options.PrivacyPolicyText, options.PrivacyPolicyUrl, "Privacy.Link", "Privacy.Missing");

    public Task<WireResult> AccountNotFoundAsync(HttpRequest? request) =>
        ErrorAsync(request, StatusCodes.Status404NotFound, "Error.NotFound", "Error.NoAccount");

    public Task<WireResult> StatusNotFoundAsync(HttpRequest? request) =>
        ErrorAsync(request, StatusCodes.Status404NotFound, "Error.NotFound", "Error.NoPost");

    /// <summary>The answer carries <c>Vary: Accept-Language</c> when its language came from that header (on 304s too, RFC 9110 15.4.5).</summary>
    internal static WireResult WithVary(WireResult result, PageLanguage language) =>
        language.VariesByAcceptLanguage ? result.WithHeader("Vary", "Accept-Language") : result;

    private async Task<WireResult> TextPageAsync(HttpRequest request, string headingKey, string canonical, string? text, string? url, string linkKey, string missingKey)
    {
        var language = languages.For(request);
        var heading = language[headingKey];
        var head = new PageHead { Title = heading, Description = language.Format("TextPage.Description", heading, options.InstanceTitle), CanonicalUrl = canonical };
        return await PageAsync<TextPage>(request, StatusCodes.Status200OK, language, new()
        {
            [nameof(TextPage.Site)] = Site,
            [nameof(TextPage.Head)] = head,
            [nameof(TextPage.Heading)] = heading,
            [nameof(TextPage.Blocks)] = PlainText.Blocks(text),
            [nameof(TextPage.LinkUrl)] = string.IsNullOrWhiteSpace(url) ? null : url,
            [nameof(TextPage.LinkText)] = language[linkKey],
            [nameof(TextPage.Missing)] = language[missingKey],
        });
    }

    /// <summary>An error page; its language switch (canonical URL) points at the requested path.</summary>
    private async Task<WireResult> ErrorAsync(HttpRequest? request, int status, string headingKey, string messageKey)
    {
        var language = languages.For(request);
        var here = request is null ? urls.Base + "/" : urls.Base + request.Path.ToUriComponent();
        var head = new PageHead { Title = language[headingKey], Description = language[messageKey], CanonicalUrl = here, Indexable = false };
        return await PageAsync<ErrorPage>(request, status, language, new()
        {
            [nameof(ErrorPage.Site)] = Site,
            [nameof(ErrorPage.Head)] = head,
            [nameof(ErrorPage.Heading)] = language[headingKey],
            [nameof(ErrorPage.Message)] = language[messageKey],
        });
    }

    private async Task<WireResult> PageAsync<TPage>(HttpRequest? request, int status, PageLanguage language, Dictionary<string, object?> parameters, string csp = WebResponses.ContentSecurityPolicy)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var html = await renderer.RenderAsync<TPage>(parameters, language);
        return WithVary(WebResponses.Html(request, status, html, WebResponses.AllowImagesFrom(csp, urls.MediaBase, urls.Base)), language);
    }

    private async Task<LocalAccount?> AuthorAsync(Dictionary<string, LocalAccount?> cache, string accountId, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(accountId, out var author))
        {
            author = await accounts.GetByIdAsync(accountId, cancellationToken);
            cache[accountId] = author;
        }

        return author;
    }

    private ProfileView Profile(LocalAccount account) => new()
    {
        Username = account.Username,
        DisplayName = DisplayName(account),
        Handle = Handle(account.Username),
        ProfileUrl = urls.Profile(account.Username),
        ActorUrl = urls.Actor(account.Username),
        AvatarUrl = account.AvatarBlob is { } avatar ? urls.Media(avatar) : AvatarUrl,
        HeaderUrl = account.HeaderBlob is { } header ? urls.Media(header) : HeaderUrl,
        Fields = account.Fields.Select(f => (f.Name, f.Value)).ToList(),
        Bio = PlainText.FromNoteHtml(account.Note),
        StatusesCount = account.StatusesCount,
        FollowingCount = account.FollowingCount,
        FollowersCount = account.FollowersCount,
        Bot = account.Bot,
        Locked = account.Locked,
        RemoteFollowUrl = $"{urls.Profile(account.Username)}/remote_follow",
        MovedTo = account.MovedTo,
    };

    internal PostView Post(Status status, LocalAccount author, Polls.PollTally? tally = null, PostQuote? quote = null) => new()
    {
        Id = status.Id,
        Url = urls.StatusPage(author.Username, status.Id),
        Uri = urls.Status(author.Username, status.Id),
        AuthorName = DisplayName(author),
        AuthorHandle = Handle(author.Username),
        AuthorProfileUrl = urls.Profile(author.Username),
        AuthorAvatarUrl = author.AvatarBlob is { } authorAvatar ? urls.Media(authorAvatar) : AvatarUrl,
        ContentHtml = status.ContentHtml,
        SpoilerText = status.SpoilerText,
        Language = status.Language,
        CreatedAt = status.CreatedAt,
        Tags = status.Tags,
        Media = status.Media.Select(m => PostMedia.Of(m, urls)).ToList(),
        InReplyToUrl = status.InReplyToId is { } parentId && urls.StatusOf(status.InReplyToUri) is { } parent ? urls.StatusPage(parent.Username, parentId) : null,
        Poll = status.Poll is { } poll ? PostPoll.Of(poll, tally, time.GetUtcNow()) : null,
        Card = status.Card is { } card ? PostCard.Of(Cards.CardImages.Shown(card, TimeSpan.FromDays(options.CardImageRetentionDays), time.GetUtcNow()), urls) : null,
        QuoteUrl = status.Quote is { State: Quotes.QuoteState.Accepted } accepted ? accepted.QuotedUri : null,
        Quote = quote,
    };

    private string Handle(string username) => $"@{username}@{urls.AccountDomain}";

    private static string DisplayName(LocalAccount account) => string.IsNullOrWhiteSpace(account.DisplayName) ? account.Username : account.DisplayName;

    private static string Summary(string noteHtml) => Excerpt(string.Join(" ", PlainText.FromNoteHtml(noteHtml).SelectMany(b => b.Lines)), 160);

    internal static string Excerpt(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }
}
