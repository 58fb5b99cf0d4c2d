using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// Statuses as ActivityStreams Notes and the activities around them (Mastodon's StatusSerializer shape).
/// Addressing by visibility: public to Public, cc followers and mentions; unlisted to followers, cc Public and mentions;
/// private to followers, cc mentions; direct to mentions only.
/// </summary>
public sealed class NoteMapper(InstanceUrls urls)
{
    public static JsonArray Context()
    {
        var terms = new JsonObject
        {
            ["sensitive"] = "as:sensitive",
            ["Hashtag"] = "as:Hashtag",
            ["toot"] = "http://joinmastodon.org/ns#",
            ["conversation"] = "ostatus:conversation",
            ["ostatus"] = "http://ostatus.org#",
            ["blurhash"] = "toot:blurhash",
            ["focalPoint"] = new JsonObject { ["@container"] = "@list", ["@id"] = "toot:focalPoint" },
            ["votersCount"] = "toot:votersCount",
        };
        QuoteActivities.AddTerms(terms);
        return [ActivityStreamsContext.ActivityStreams, terms];
    }

    /// <summary>The status as a Note, or as a Question when it carries a poll (counts from <paramref name="tally"/>, zero without).</summary>
    public JsonObject ToNote(Status status, LocalAccount author, PollTally? tally = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        var (to, cc) = Addressing(status, author);
        var note = new JsonObject
        {
            ["id"] = urls.Status(author.Username, status.Id),
            ["type"] = "Note",
            ["summary"] = string.IsNullOrEmpty(status.SpoilerText) ? null : status.SpoilerText,
            ["inReplyTo"] = status.InReplyToUri,
            ["published"] = ActorMapper.FormatTime(status.CreatedAt),
            ["url"] = urls.StatusPage(author.Username, status.Id),
            ["attributedTo"] = urls.Actor(author.Username),
            ["to"] = to,
            ["cc"] = cc,
            ["sensitive"] = status.Sensitive,
            ["content"] = status.ContentHtml,
            ["tag"] = Tags(status),
            ["attachment"] = Attachments(status),
        };
        if (status.EditedAt is { } edited)
        {
            note["updated"] = ActorMapper.FormatTime(edited);
        }

        if (!string.IsNullOrEmpty(status.Language))
        {
            note["contentMap"] = new JsonObject { [status.Language] = status.ContentHtml };
        }

        if (status.Poll is { } poll)
        {
            AddPoll(note, poll, tally ?? PollTally.Empty(poll.Options.Count));
        }

        note["interactionPolicy"] = new JsonObject { ["canQuote"] = new JsonObject { ["automaticApproval"] = QuoteApproval(status, author) } };
        if (status.Quote is { } quote)
        {
            // FEP-044f's quote, and the older names Mastodon 4.5 also writes for software that reads only those.
            note["quote"] = quote.QuotedUri;
            note["quoteUri"] = quote.QuotedUri;
            note["_misskey_quote"] = quote.QuotedUri;
            if (quote is { State: Quotes.QuoteState.Accepted, AuthorizationUri: { } authorization })
            {
                note["quoteAuthorization"] = authorization;
            }
        }

        return note;
    }

    /// <summary>
    /// The Update that carries a poll's counts (debounced after votes, and once when it closed), addressed as the
    /// Create was; the id names the moment, so each is a distinct activity.
    /// </summary>
    public JsonObject PollUpdate(Status status, LocalAccount author, PollTally tally, DateTimeOffset at)
    {
        var question = ToNote(status, author, tally);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{question["id"]}#updates/poll-{at.ToUnixTimeMilliseconds()}",
            ["type"] = "Update",
            ["actor"] = urls.Actor(author.Username),
            ["published"] = ActorMapper.FormatTime(at),
            ["to"] = question["to"]!.DeepClone(),
            ["cc"] = question["cc"]!.DeepClone(),
            ["object"] = question,
        };
    }

    /// <summary>
    /// A local account's vote on a remote poll, as Mastodon sends it (a Create of a Note whose <c>name</c> is the
    /// chosen option, <c>inReplyTo</c> the Question, addressed to its author only), one per chosen option.
    /// </summary>
    public JsonObject Vote(LocalAccount voter, string questionId, string authorActorId, string pollId, int choice, string option)
    {
        ArgumentNullException.ThrowIfNull(voter);
        var actor = urls.Actor(voter.Username);
        var id = $"{actor}#votes/{pollId}/{choice}";
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{id}/activity",
            ["type"] = "Create",
            ["actor"] = actor,
            ["to"] = new JsonArray(authorActorId),
            ["object"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "Note",
                ["name"] = option,
                ["attributedTo"] = actor,
                ["to"] = new JsonArray(authorActorId),
                ["inReplyTo"] = questionId,
            },
        };
    }

    /// <summary>
    /// A Question's poll (Mastodon's note serializer): <c>oneOf</c> or <c>anyOf</c> with each option a Note with its
    /// count in <c>replies.totalItems</c>, <c>endTime</c>, <c>closed</c> once ended and <c>votersCount</c>. With
    /// <c>hide_totals</c> the counts go out as zero until the poll has closed.
    /// </summary>
    private static void AddPoll(JsonObject note, Polls.Poll poll, PollTally tally)
    {
        var hidden = poll.HideTotals && tally.ClosedAt is null;
        note["type"] = "Question";
        note[poll.Multiple ? "anyOf" : "oneOf"] = new JsonArray([.. poll.Options.Select((title, i) => (JsonNode)new JsonObject
        {
            ["type"] = "Note",
            ["name"] = title,
            ["replies"] = new JsonObject { ["type"] = "Collection", ["totalItems"] = hidden || i >= tally.Votes.Count ? 0 : tally.Votes[i] },
        })]);
        note["votersCount"] = hidden ? 0 : tally.VotersCount;
        if (poll.ExpiresAt is { } end)
        {
            note["endTime"] = ActorMapper.FormatTime(end);
        }

        if (tally.ClosedAt is not null && poll.ExpiresAt is { } closed)
        {
            note["closed"] = ActorMapper.FormatTime(closed);
        }
    }

    public JsonObject Create(Status status, LocalAccount author, PollTally? tally = null)
    {
        var note = ToNote(status, author, tally);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{note["id"]}/activity",
            ["type"] = "Create",
            ["actor"] = urls.Actor(author.Username),
            ["published"] = note["published"]!.DeepClone(),
            ["to"] = note["to"]!.DeepClone(),
            ["cc"] = note["cc"]!.DeepClone(),
            ["object"] = note,
        };
    }

    /// <summary>
    /// Update of an edited Note (the whole object, with <c>updated</c>), addressed as the Create was; the id names the
    /// edit time so each edit is a distinct activity.
    /// </summary>
    public JsonObject Update(Status status, LocalAccount author)
    {
        var note = ToNote(status, author);
        var updated = status.EditedAt ?? status.CreatedAt;
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{note["id"]}#updates/{updated.ToUnixTimeMilliseconds()}",
            ["type"] = "Update",
            ["actor"] = urls.Actor(author.Username),
            ["published"] = ActorMapper.FormatTime(updated),
            ["to"] = note["to"]!.DeepClone(),
            ["cc"] = note["cc"]!.DeepClone(),
            ["object"] = note,
        };
    }

    /// <summary>Delete with a Tombstone, addressed as the status was so every server that has it hears of it.</summary>
    public JsonObject Delete(Status status, LocalAccount author)
    {
        var (to, cc) = Addressing(status, author);
        var id = urls.Status(author.Username, status.Id);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{id}#delete",
            ["type"] = "Delete",
            ["actor"] = urls.Actor(author.Username),
            ["to"] = to,
            ["cc"] = cc,
            ["object"] = new JsonObject { ["id"] = id, ["type"] = "Tombstone" },
        };
    }

    public JsonObject Tombstone(Status status, LocalAccount author)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = urls.Status(author.Username, status.Id),
            ["type"] = "Tombstone",
            ["deleted"] = status.DeletedAt is { } d ? ActorMapper.FormatTime(d) : null,
        };
    }

    /// <summary>
    /// Who is approved automatically to quote the status (FEP-044f "Advertising a quote policy"): everyone (Public), the
    /// author's followers, or, for nobody, the author alone (an empty list would read as no policy at all).
    /// </summary>
    private JsonArray QuoteApproval(Status status, LocalAccount author) => Quotes.QuotePolicies.Effective(status) switch
    {
        Quotes.QuotePolicy.Public => [ActivityStreamsContext.Public],
        Quotes.QuotePolicy.Followers => [urls.Followers(author.Username)],
        _ => [urls.Actor(author.Username)],
    };

    /// <summary>The ActivityPub id of a local status.</summary>
    public string StatusUri(Status status, LocalAccount author)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        return urls.Status(author.Username, status.Id);
    }

    /// <summary>Whether followers' servers get the status (all but direct) and whether it may be shown to anyone (public, unlisted).</summary>
    public static bool IsPubliclyReadable(Status status) => status.Visibility is Visibility.Public or Visibility.Unlisted;

    private (JsonArray To, JsonArray Cc) Addressing(Status status, LocalAccount author)
    {
        var followers = urls.Followers(author.Username);
        var mentions = status.Mentions.Select(m => (JsonNode)JsonValue.Create(m.ActorId)!).ToArray();
        return status.Visibility switch
        {
            Visibility.Public => ([ActivityStreamsContext.Public], [followers, .. mentions.Select(m => m.DeepClone())]),
            Visibility.Unlisted => ([followers], [ActivityStreamsContext.Public, .. mentions.Select(m => m.DeepClone())]),
            Visibility.Private => ([followers], [.. mentions.Select(m => m.DeepClone())]),
            _ => ([.. mentions.Select(m => m.DeepClone())], []),
        };
    }

    /// <summary>
    /// Media as Mastodon federates it (app/serializers/activitypub/note_serializer.rb): a Document per file, whatever its
    /// kind (receivers go by <c>mediaType</c>), with its alt text as <c>name</c>, BlurHash, focal point, and width and
    /// height when it has a picture; a video or audio file with a thumbnail from its uploader carries it as <c>icon</c>
    /// (an Image), and one without gets none, so that receivers make their own preview rather than show our neutral poster.
    /// </summary>
    private JsonArray Attachments(Status status) =>
        new(status.Media.Select(m =>
        {
            var document = new JsonObject
            {
                ["type"] = "Document",
                ["mediaType"] = m.OriginalContentType,
                ["url"] = urls.Media(m.OriginalBlob),
                ["name"] = m.Description,
                ["blurhash"] = m.Blurhash,
                ["focalPoint"] = new JsonArray(m.FocusX ?? 0.0, m.FocusY ?? 0.0),
            };
            if (m.OriginalWidth > 0 && m.OriginalHeight > 0)
            {
                document["width"] = m.OriginalWidth;
                document["height"] = m.OriginalHeight;
            }

            if (m.CustomThumbnail)
            {
                document["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = m.SmallContentType, ["url"] = urls.Media(m.SmallBlob) };
            }

            return (JsonNode)document;
        }).ToArray());

    private JsonArray Tags(Status status)
    {
        var tags = new JsonArray();
        foreach (var m in status.Mentions)
        {
            tags.Add(new JsonObject { ["type"] = "Mention", ["href"] = m.ActorId, ["name"] = m.Domain is null ? $"@{m.Username}@{urls.AccountDomain}" : $"@{m.Username}@{m.Domain}" });
        }

        foreach (var t in status.Tags)
        {
            tags.Add(new JsonObject { ["type"] = "Hashtag", ["href"] = urls.Tag(t), ["name"] = "#" + t });
        }

        return tags;
    }
}
