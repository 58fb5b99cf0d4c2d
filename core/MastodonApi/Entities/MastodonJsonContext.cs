using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// The Mastodon wire format (docs: api/guidelines): snake_case names, every documented field written (null included)
/// unless an entity marks it optional, timestamps by <see cref="MastodonTimeConverter"/>. Use <see cref="Wire"/>: it
/// also leaves HTML-sensitive characters unescaped, as every API answer is written (JSON is never embedded in HTML here).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(MastodonTimeConverter)])]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(IReadOnlyList<Account>))]
[JsonSerializable(typeof(Relationship))]
[JsonSerializable(typeof(IReadOnlyList<Relationship>))]
[JsonSerializable(typeof(IReadOnlyList<FamiliarFollowers>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(IReadOnlyList<Status>))]
[JsonSerializable(typeof(Context))]
[JsonSerializable(typeof(StatusSource))]
[JsonSerializable(typeof(IReadOnlyList<StatusEdit>))]
[JsonSerializable(typeof(MediaAttachment))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(IReadOnlyList<Notification>))]
[JsonSerializable(typeof(GroupedNotificationsResults))]
[JsonSerializable(typeof(UnreadCount))]
[JsonSerializable(typeof(Filter))]
[JsonSerializable(typeof(IReadOnlyList<Filter>))]
[JsonSerializable(typeof(FilterKeyword))]
[JsonSerializable(typeof(IReadOnlyList<FilterKeyword>))]
[JsonSerializable(typeof(FilterStatus))]
[JsonSerializable(typeof(IReadOnlyList<FilterStatus>))]
[JsonSerializable(typeof(IReadOnlyList<FilterResult>))]
[JsonSerializable(typeof(V1Filter))]
[JsonSerializable(typeof(IReadOnlyList<V1Filter>))]
[JsonSerializable(typeof(List))]
[JsonSerializable(typeof(IReadOnlyList<List>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, Marker>))]
[JsonSerializable(typeof(Preferences))]
[JsonSerializable(typeof(FeaturedTag))]
[JsonSerializable(typeof(IReadOnlyList<FeaturedTag>))]
[JsonSerializable(typeof(Tag))]
[JsonSerializable(typeof(IReadOnlyList<Tag>))]
[JsonSerializable(typeof(Search))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(Instance))]
[JsonSerializable(typeof(V1Instance))]
[JsonSerializable(typeof(IReadOnlyList<Rule>))]
[JsonSerializable(typeof(IReadOnlyList<DomainBlock>))]
[JsonSerializable(typeof(ExtendedDescription))]
[JsonSerializable(typeof(PrivacyPolicy))]
[JsonSerializable(typeof(IReadOnlyList<Language>))]
[JsonSerializable(typeof(IReadOnlyList<Activity>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>))]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(ScheduledStatus))]
[JsonSerializable(typeof(Poll))]
[JsonSerializable(typeof(IReadOnlyList<ScheduledStatus>))]
[JsonSerializable(typeof(WebPushSubscription))]
[JsonSerializable(typeof(NotificationPolicy))]
[JsonSerializable(typeof(NotificationRequestsMerged))]
[JsonSerializable(typeof(Report))]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(IReadOnlyList<Conversation>))]
[JsonSerializable(typeof(TeamMember))]
[JsonSerializable(typeof(IReadOnlyList<TeamMember>))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
public sealed partial class MastodonJsonContext : JsonSerializerContext
{
    /// <summary>The context every API answer is written with.</summary>
    public static MastodonJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new MastodonTimeConverter() },
    });
}
