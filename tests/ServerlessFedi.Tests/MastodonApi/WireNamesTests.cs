using System.Text.Json;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Notifications;
using ServerlessFedi.Quotes;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// What the pages write without computing it per item (issue 13, session 11): the names of enum values, kept once per
/// process, and timestamps formatted without a string each; both must write exactly what they wrote before.
/// </summary>
[TestClass]
public sealed class WireNamesTests
{
    [TestMethod]
    public void Every_enum_value_has_its_lower_case_name_whichever_enum_was_named_first()
    {
        // Values of different enums share numbers (0, 1, ...): each enum keeps its own names.
        Check<QuoteDecision>();
        Check<Visibility>();
        Check<QuoteState>();
        Check<NotificationType>();
        Check<QuotePolicy>();
        Check<Visibility>();

        static void Check<T>()
            where T : struct, Enum
        {
            foreach (var value in Enum.GetValues<T>())
            {
                Assert.AreEqual(value.ToString().ToLowerInvariant(), WireNames.Lower(value), $"{typeof(T).Name}.{value}");
            }
        }
    }

    [TestMethod]
    public void Notification_types_and_visibilities_keep_the_api_names()
    {
        Assert.AreEqual("follow_request", NotificationMapper.TypeName(NotificationType.FollowRequest));
        Assert.AreEqual("quoted_update", NotificationMapper.TypeName(NotificationType.QuotedUpdate));
        Assert.AreEqual("favourite", NotificationMapper.TypeName(NotificationType.Favourite));
        Assert.AreEqual("unlisted", WireNames.Lower(Visibility.Unlisted));
    }

    [TestMethod]
    public void Timestamps_are_written_as_ToText_writes_them()
    {
        var options = new JsonSerializerOptions { Converters = { new MastodonTimeConverter() } };
        DateTimeOffset[] instants =
        [
            new(2026, 12, 7, 9, 0, 4, 7, TimeSpan.Zero),
            new(2026, 3, 29, 1, 30, 0, 999, TimeSpan.FromHours(2)),
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
        ];
        foreach (var instant in instants)
        {
            Assert.AreEqual($"\"{MastodonTimeConverter.ToText(instant)}\"", JsonSerializer.Serialize(instant, options), instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.AreEqual("\"2026-03-28T23:30:00.999Z\"", JsonSerializer.Serialize(instants[1], options));
    }
}
