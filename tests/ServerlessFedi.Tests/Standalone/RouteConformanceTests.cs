using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>
/// The real <c>functions.metadata</c> under the host's ordering: real request paths reach the intended functions,
/// and no function's route is shadowed by another's. Extend <see cref="Expected"/> whenever a route is added.
/// </summary>
[TestClass]
public sealed partial class RouteConformanceTests
{
    /// <summary>Method, path as remote servers, apps and browsers send it, and the function that must answer (null: 404).</summary>
    private static readonly (string Method, string Path, string? Function)[] Expected =
    [
        ("GET", "/.well-known/webfinger", "WebFinger"),
        ("GET", "/.well-known/host-meta", "HostMeta"),
        ("GET", "/.well-known/host-meta.json", "HostMetaJson"),
        ("GET", "/.well-known/nodeinfo", "NodeInfoDiscovery"),
        ("GET", "/nodeinfo/2.0", "NodeInfoDocument"),
        ("GET", "/nodeinfo/2.1", "NodeInfoDocument"),
        ("GET", "/users/alice", "ActorGet"),
        ("POST", "/users/alice/inbox", "Inbox"),
        ("POST", "/inbox", "SharedInbox"),
        ("GET", "/users/alice/followers", "ActorFollowers"),
        ("GET", "/users/alice/followers?page=1", "ActorFollowers"),
        ("GET", "/users/alice/following", "ActorFollowing"),
        ("GET", "/users/alice/outbox", "ActorOutbox"),
        ("GET", "/users/alice/collections/featured", "ActorFeatured"),
        ("GET", "/users/alice/inbox", null),
        ("GET", "/inbox", null),
        ("GET", "/users/Alice_Agency", "ActorGet"),
        ("GET", "/actor", "InstanceActorGet"),
        ("GET", "/@alice", "ProfilePage"),
        ("GET", "/@alice/117684648624352871", "StatusPage"),
        ("GET", "/", "FrontPage"),
        ("GET", "/?after=117684648624352871", "FrontPage"),
        ("POST", "/", null),
        ("GET", "/about", "AboutPage"),
        ("GET", "/imprint", "ImprintPage"),
        ("GET", "/privacy", "PrivacyPage"),
        ("GET", "/@alice.rss", "ProfileFeedRss"),
        ("GET", "/@alice.atom", "ProfileFeedAtom"),
        ("GET", "/@alice?max_id=117684648624352871", "ProfilePage"),
        ("GET", "/@alice.json", "ProfilePage"),
        ("GET", "/@alice/remote_follow?acct=mastodon.example", "ProfileRemoteFollow"),
        ("POST", "/@alice/remote_follow", "ProfileRemoteFollow"),
        ("GET", "/@alice/117684648624352871/extra", null),
        ("GET", "/assets/web.css", "WebStylesheet"),
        ("GET", "/assets/other.css", null),
        ("GET", "/health", "Health"),
        ("POST", "/users/alice", null),
        ("GET", "/users/alice/statuses/1/activity/extra", null),
        ("GET", "/api/v1/accounts/verify_credentials", "AccountsVerifyCredentials"),
        ("GET", "/api/v1/accounts/123", "AccountsGet"),
        ("GET", "/api/v1/accounts/1234567890123456789", "AccountsGet"),
        ("GET", "/api/v1/accounts/abc", "ZzApiNotFound"),
        ("GET", "/api/v1/accounts/117684648624352871/statuses", "AccountsStatuses"),
        ("GET", "/api/v1/accounts/117684648624352871/followers", "AccountsFollowers"),
        ("GET", "/api/v1/accounts/117684648624352871/following", "AccountsFollowing"),
        ("POST", "/api/v1/accounts/117684648624352871/follow", "AccountsAction"),
        ("POST", "/api/v1/accounts/117684648624352871/unfollow", "AccountsAction"),
        ("POST", "/api/v1/accounts/117684648624352871/block", "AccountsAction"),
        ("POST", "/api/v1/accounts/117684648624352871/mute", "AccountsAction"),
        ("POST", "/api/v1/accounts/117684648624352871/remove_from_followers", "AccountsAction"),
        ("POST", "/api/v1/accounts/117684648624352871/explode", "ZzApiNotFound"),
        ("POST", "/api/v1/accounts/117684648624352871/note", "AccountsNote"),
        ("GET", "/api/v1/accounts/relationships", "AccountsRelationships"),
        ("GET", "/api/v1/accounts/familiar_followers?id[]=117684648624352871", "AccountsFamiliarFollowers"),
        ("GET", "/api/v1/accounts/search", "AccountsSearch"),
        ("POST", "/api/v1/reports", "ReportsCreate"),
        ("GET", "/api/v1/conversations", "ConversationsList"),
        ("POST", "/api/v1/conversations/117684648624352871/read", "ConversationsRead"),
        ("DELETE", "/api/v1/conversations/117684648624352871", "ConversationsRemove"),
        ("GET", "/api/serverlessfedi/team/staff", "TeamStaffList"),
        ("POST", "/api/serverlessfedi/team/staff", "TeamStaffAdd"),
        ("DELETE", "/api/serverlessfedi/team/staff/mueller", "TeamStaffRemove"),
        ("GET", "/api/serverlessfedi/team/audit", "TeamAudit"),
        ("GET", "/api/v1/tags/floods", "TagsGet"),
        ("POST", "/api/v1/tags/floods/follow", "TagsFollow"),
        ("POST", "/api/v1/tags/floods/unfollow", "TagsFollow"),
        ("GET", "/api/v1/followed_tags", "FollowedTagsList"),
        ("GET", "/api/v1/follow_requests", "FollowRequestsList"),
        ("POST", "/api/v1/follow_requests/117684648624352871/authorize", "FollowRequestsAnswer"),
        ("POST", "/api/v1/follow_requests/117684648624352871/reject", "FollowRequestsAnswer"),
        ("GET", "/api/v1/blocks", "BlocksList"),
        ("GET", "/api/v1/mutes", "MutesList"),
        ("GET", "/api/v1/timelines/home", "TimelinesHome"),
        ("GET", "/api/v1/timelines/public", "TimelinesPublic"),
        ("GET", "/api/v1/timelines/tag/cats", "TimelinesTag"),
        ("GET", "/api/v1/notifications", "NotificationsList"),
        ("GET", "/api/v1/notifications/unread_count", "NotificationsUnreadCount"),
        ("POST", "/api/v1/notifications/clear", "NotificationsClear"),
        ("GET", "/api/v1/notifications/117684648624352871", "NotificationsGet"),
        ("POST", "/api/v1/notifications/117684648624352871/dismiss", "NotificationsDismiss"),
        ("GET", "/api/v2/notifications", "NotificationsV2List"),
        ("GET", "/api/v2/notifications/unread_count", "NotificationsV2UnreadCount"),
        ("GET", "/api/v2/notifications/favourite-117684648624352871-493944", "NotificationsV2Group"),
        ("GET", "/api/v2/notifications/ungrouped-117684648624352871", "NotificationsV2Group"),
        ("GET", "/api/v2/notifications/follow-493944/accounts", "NotificationsV2GroupAccounts"),
        ("POST", "/api/v2/notifications/follow-493944/dismiss", "NotificationsV2GroupDismiss"),
        ("GET", "/api/v2/notifications/policy/other", "ZzApiNotFound"),
        ("GET", "/api/v1/featured_tags", "FeaturedTagsList"),
        ("POST", "/api/v1/featured_tags", "FeaturedTagsCreate"),
        ("DELETE", "/api/v1/featured_tags/117684648624352871", "FeaturedTagsDelete"),
        ("GET", "/api/v1/featured_tags/suggestions", "FeaturedTagsSuggestions"),
        ("GET", "/api/v1/accounts/117684648624352871/featured_tags", "AccountsFeaturedTags"),
        ("GET", "/api/v1/endorsements", "Endorsements"),
        ("GET", "/users/alice/collections/tags", "ActorFeaturedTags"),
        ("GET", "/api/v1/accounts/117684648624352871/endorsements", "AccountsEndorsements"),
        ("POST", "/api/v1/statuses/117684648624352871/favourite", "StatusesAction"),
        ("POST", "/api/v1/statuses/117684648624352871/unreblog", "StatusesAction"),
        ("POST", "/api/v1/statuses/117684648624352871/pin", "StatusesAction"),
        ("POST", "/api/v1/statuses/117684648624352871/mute", "StatusesAction"),
        ("GET", "/api/v1/statuses/117684648624352871/context", "StatusesContext"),
        ("GET", "/api/v1/statuses/117684648624352871/favourited_by", "StatusesFavouritedBy"),
        ("GET", "/api/v1/statuses/117684648624352871/reblogged_by", "StatusesRebloggedBy"),
        ("GET", "/api/v1/statuses/117684648624352871/quotes", "StatusesQuotes"),
        ("POST", "/api/v1/statuses/117684648624352871/quotes/117684648624352872/revoke", "StatusesQuotesRevoke"),
        ("PUT", "/api/v1/statuses/117684648624352871/interaction_policy", "StatusesInteractionPolicy"),
        ("GET", "/users/alice/statuses/117684648624352871/quote_authorizations/0123456789abcdef", "StatusQuoteAuthorization"),
        ("GET", "/api/v1/favourites", "FavouritesList"),
        ("GET", "/api/v1/bookmarks", "BookmarksList"),
        ("GET", "/api/v1/timelines/list/117684648624352871", "TimelinesList"),
        ("GET", "/api/v1/accounts/117684648624352871/lists", "AccountsLists"),
        ("GET", "/api/v2/search?q=alice", "SearchV2"),
        ("GET", "/api/v1/domain_blocks", "DomainBlocksList"),
        ("POST", "/api/v1/domain_blocks", "DomainBlocksAdd"),
        ("DELETE", "/api/v1/domain_blocks", "DomainBlocksRemove"),
        ("OPTIONS", "/api/v1/statuses", "ApiPreflight"),
        ("OPTIONS", "/oauth/token", "ApiPreflight"),
        ("OPTIONS", "/users/alice", null),
        ("DELETE", "/api/v2/nothing/here", "ZzApiNotFound"),
        ("GET", "/api/v1/instance", "InstanceV1"),
        ("GET", "/api/v2/instance", "InstanceV2"),
        ("POST", "/api/v1/statuses", "StatusesCreate"),
        ("GET", "/api/v1/statuses/117684648624352871", "StatusesGet"),
        ("DELETE", "/api/v1/statuses/117684648624352871", "StatusesDelete"),
        ("PUT", "/api/v1/statuses/117684648624352871", "StatusesUpdate"),
        ("GET", "/api/v1/statuses/117684648624352871/history", "StatusesHistory"),
        ("GET", "/api/v1/statuses/117684648624352871/source", "StatusesSource"),
        ("PATCH", "/api/v1/accounts/update_credentials", "AccountsUpdateCredentials"),
        ("GET", "/api/v1/statuses/abc", "ZzApiNotFound"),
        ("GET", "/users/alice/statuses/117684648624352871", "StatusObject"),
        ("GET", "/users/alice/statuses/117684648624352871/activity", "StatusObjectActivity"),
        ("GET", "/avatars/original/missing.png", "DefaultAvatar"),
        ("GET", "/headers/original/missing.png", "DefaultHeader"),
        ("GET", "/api/v1/accounts/lookup", "AccountsLookup"),
        ("GET", "/api/v1/accounts/export", "AccountsExport"),
        ("GET", "/admin", null),
        ("POST", "/api/v1/apps", "OAuthAppsCreate"),
        ("GET", "/api/v1/apps/verify_credentials", "OAuthAppsVerifyCredentials"),
        ("GET", "/oauth/authorize?response_type=code&client_id=x", "OAuthAuthorizeForm"),
        ("POST", "/oauth/authorize", "OAuthAuthorize"),
        ("POST", "/oauth/token", "OAuthToken"),
        ("POST", "/oauth/revoke", "OAuthRevoke"),
        ("GET", "/.well-known/oauth-authorization-server", "OAuthMetadata"),
        ("GET", "/oauth/token", null),
        ("POST", "/api/v1/media", "MediaCreateV1"),
        ("POST", "/api/v2/media", "MediaCreateV2"),
        ("GET", "/api/v1/media/117684648624352871", "MediaGet"),
        ("PUT", "/api/v1/media/117684648624352871", "MediaUpdate"),
        ("GET", "/api/v1/media/abc", "ZzApiNotFound"),
        ("DELETE", "/api/v1/media/117684648624352871", "MediaDelete"),
        ("GET", "/media/117684648624352871/0123456789abcdef/original.jpg", "MediaFile"),
        ("HEAD", "/media/117684648624352871/0123456789abcdef/small.png", "MediaFile"),
        ("GET", "/media-proxy/statuses/117684648624352871/0123456789abcdef", "RemoteMediaFile"),
        ("HEAD", "/media-proxy/accounts/1234567890123456789/0123456789abcdef", "RemoteMediaFile"),
        ("POST", "/media/117684648624352871/0123456789abcdef/original.jpg", null),
        ("GET", "/api/v1/instance/peers", "InstancePeers"),
        ("GET", "/api/v1/instance/activity", "InstanceActivity"),
        ("GET", "/api/v1/instance/rules", "InstanceRules"),
        ("GET", "/api/v1/instance/domain_blocks", "InstanceDomainBlocks"),
        ("GET", "/api/v1/instance/extended_description", "InstanceExtendedDescription"),
        ("GET", "/api/v1/instance/privacy_policy", "InstancePrivacyPolicy"),
        ("GET", "/api/v1/instance/languages", "InstanceLanguages"),
        ("GET", "/api/v1/instance/translation_languages", "InstanceTranslationLanguages"),
        ("GET", "/api/v1/instance/unknown_document", "ZzApiNotFound"),
        ("GET", "/api/v1/custom_emojis", "CustomEmojis"),
        ("GET", "/api/v1/announcements", "Announcements"),
        ("POST", "/api/v1/announcements/12/dismiss", "AnnouncementsDismiss"),
        ("GET", "/api/v1/trends", "Trends"),
        ("GET", "/api/v1/trends/tags", "TrendsTags"),
        ("GET", "/api/v1/trends/statuses", "TrendsStatuses"),
        ("GET", "/api/v1/trends/links", "TrendsLinks"),
        ("GET", "/api/v1/trends/other", "ZzApiNotFound"),
        ("GET", "/api/v1/suggestions", "SuggestionsV1"),
        ("GET", "/api/v2/suggestions", "SuggestionsV2"),
        ("GET", "/api/v3/suggestions", "ZzApiNotFound"),
        ("GET", "/api/v1/preferences", "Preferences"),
        ("GET", "/api/v1/markers?timeline[]=home", "MarkersGet"),
        ("POST", "/api/v1/markers", "MarkersSet"),
        ("GET", "/api/v2/filters", "FiltersV2List"),
        ("POST", "/api/v2/filters", "FiltersV2Create"),
        ("GET", "/api/v2/filters/117684648624352871", "FiltersV2Get"),
        ("PUT", "/api/v2/filters/117684648624352871", "FiltersV2Update"),
        ("DELETE", "/api/v2/filters/117684648624352871", "FiltersV2Delete"),
        ("GET", "/api/v2/filters/117684648624352871/keywords", "FiltersV2Keywords"),
        ("POST", "/api/v2/filters/117684648624352871/keywords", "FiltersV2KeywordsAdd"),
        ("GET", "/api/v2/filters/117684648624352871/statuses", "FiltersV2Statuses"),
        ("POST", "/api/v2/filters/117684648624352871/statuses", "FiltersV2StatusesAdd"),
        ("GET", "/api/v2/filter_keywords/117684648624352871", "FilterKeywordsGet"),
        ("PUT", "/api/v2/filter_keywords/117684648624352871", "FilterKeywordsUpdate"),
        ("DELETE", "/api/v2/filter_keywords/117684648624352871", "FilterKeywordsDelete"),
        ("GET", "/api/v2/filter_statuses/117684648624352871", "FilterStatusesGet"),
        ("DELETE", "/api/v2/filter_statuses/117684648624352871", "FilterStatusesDelete"),
        ("GET", "/api/v1/filters", "FiltersV1List"),
        ("GET", "/api/v1/filters/117684648624352871", "FiltersV1Get"),
        ("GET", "/api/v2/filters/abc", "ZzApiNotFound"),
        ("GET", "/api/v1/lists", "ListsList"),
        ("POST", "/api/v1/lists", "ListsCreate"),
        ("GET", "/api/v1/lists/117684648624352871", "ListsGet"),
        ("PUT", "/api/v1/lists/117684648624352871", "ListsUpdate"),
        ("DELETE", "/api/v1/lists/117684648624352871", "ListsDelete"),
        ("GET", "/api/v1/lists/117684648624352871/accounts?limit=0", "ListsAccounts"),
        ("POST", "/api/v1/lists/117684648624352871/accounts", "ListsAccountsAdd"),
        ("DELETE", "/api/v1/lists/117684648624352871/accounts", "ListsAccountsRemove"),
        ("GET", "/api/v1/lists/abc", "ZzApiNotFound"),
        ("GET", "/api/v1/lists/117684648624352871/other", "ZzApiNotFound"),
        ("GET", "/api/v1/scheduled_statuses?limit=2", "ScheduledStatusesList"),
        ("GET", "/api/v1/scheduled_statuses/117684648624352871", "ScheduledStatusesGet"),
        ("PUT", "/api/v1/scheduled_statuses/117684648624352871", "ScheduledStatusesUpdate"),
        ("DELETE", "/api/v1/scheduled_statuses/117684648624352871", "ScheduledStatusesDelete"),
        ("POST", "/api/v1/push/subscription", "PushSubscriptionCreate"),
        ("GET", "/api/v1/push/subscription", "PushSubscriptionGet"),
        ("PUT", "/api/v1/push/subscription", "PushSubscriptionUpdate"),
        ("DELETE", "/api/v1/push/subscription", "PushSubscriptionDelete"),
        ("GET", "/api/v1/scheduled_statuses/abc", "ZzApiNotFound"),
        ("GET", "/api/v1/polls/117684648624352871", "PollsGet"),
        ("POST", "/api/v1/polls/117684648624352871/votes", "PollsVote"),
        ("GET", "/api/v1/polls/abc", "ZzApiNotFound"),
        ("GET", "/api/v2/filters/keywords/117684648624352871", "FiltersV2KeywordGet"),
        ("PUT", "/api/v2/filters/keywords/117684648624352871", "FiltersV2KeywordUpdate"),
        ("DELETE", "/api/v2/filters/keywords/117684648624352871", "FiltersV2KeywordDelete"),
        ("GET", "/api/v2/filters/statuses/117684648624352871", "FiltersV2StatusGet"),
        ("DELETE", "/api/v2/filters/statuses/117684648624352871", "FiltersV2StatusDelete"),
        ("GET", "/api/v2/filters/keywords/abc", "ZzApiNotFound"),
        ("GET", "/api/v2/notifications/policy", "NotificationPolicyGet"),
        ("PATCH", "/api/v2/notifications/policy", "NotificationPolicyUpdate"),
        ("GET", "/api/v1/notifications/requests", "NotificationRequestsList"),
        ("GET", "/api/v1/notifications/requests/merged", "NotificationRequestsMerged"),
        ("GET", "/api/v1/notifications/requests/117684648624352871", "NotificationRequestsGet"),
        ("POST", "/api/v1/notifications/requests/117684648624352871/dismiss", "NotificationRequestsAnswer"),
        ("POST", "/api/v1/notifications/requests/accept", "NotificationRequestsAnswerMany"),
    ];

    [TestMethod]
    public void Real_request_paths_reach_the_intended_function()
    {
        var routes = FunctionsApp.Routes();
        var failures = new List<string>();
        foreach (var (method, path, function) in Expected)
        {
            var actual = routes.Match(method, path.Split('?')[0])?.Function.Name;
            if (actual != function)
            {
                failures.Add($"{method} {path}: expected {function ?? "404"}, got {actual ?? "404"}");
            }
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
    }

    [TestMethod]
    public void Every_http_function_is_reachable_at_its_own_route()
    {
        // A sample path per route template; if an earlier function (by name) swallows it, the route is shadowed.
        var routes = FunctionsApp.Routes();
        var failures = new List<string>();
        foreach (var function in FunctionsApp.Metadata.Where(f => f.Trigger?.Type == "httpTrigger"))
        {
            var trigger = function.Trigger!;
            var path = "/" + Parameter().Replace(trigger.Route ?? function.Name, m => FirstAlternative().Match(m.Value) is { Success: true } alt ? alt.Groups["first"].Value : Sample(m.Groups["name"].Value));
            foreach (var method in trigger.Methods ?? ["get"])
            {
                var actual = routes.Match(method.ToUpperInvariant(), path)?.Function.Name;
                if (actual != function.Name)
                {
                    failures.Add($"{function.Name}: {method.ToUpperInvariant()} {path} reaches {actual ?? "nothing"}");
                }
            }
        }

        Assert.IsEmpty(failures, "Shadowed routes:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    [TestMethod]
    public void Every_function_in_the_metadata_is_covered_by_the_expected_paths()
    {
        var covered = Expected.Select(e => e.Function).OfType<string>().ToHashSet();
        var missing = FunctionsApp.Metadata.Where(f => f.Trigger?.Type == "httpTrigger" && !covered.Contains(f.Name)).Select(f => f.Name).ToList();

        Assert.IsEmpty(missing, "Add real request paths for: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Every_function_entry_point_binds_in_the_standalone_host()
    {
        var invoker = new FunctionInvoker(new ServiceCollection().BuildServiceProvider(), typeof(StandaloneHost).Assembly);

        invoker.Validate(FunctionsApp.Metadata);
    }

    private static string Sample(string parameter) => parameter switch
    {
        "username" => "alice",
        "id" => "117684648624352871",
        "version" => "2.1",
        "area" => "api",
        "rest" => "v1/sample",
        "ignored" => "",
        "groupKey" => "ungrouped-117684648624352871",
        "quoteId" => "117684648624352872",
        "authorizationId" => "0123456789abcdef",
        _ => "sample",
    };

    /// <summary>A constraint listing alternatives, <c>regex(^(a|b)$)</c>: its first alternative is a valid sample.</summary>
    [GeneratedRegex(@"regex\(\^\((?<first>[a-z_]+)\|")]
    private static partial Regex FirstAlternative();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
