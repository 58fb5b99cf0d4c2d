using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Polls;

/// <summary>
/// Polls over HTTP on a fake clock (docs: methods/statuses poll parameters, methods/polls, entities/Poll): creation from
/// form and JSON bodies, Mastodon's refusals, the vote rules, hidden totals, concurrent votes, scheduled polls, and the
/// end of a poll handled once with its notifications. The timers are stopped; the tests run the timer's work themselves.
/// </summary>
[TestClass]
public sealed class PollApiTests
{
    private GoldenInstance _golden = null!;

    [TestInitialize]
    public async Task Start()
    {
        _golden = await GoldenInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:Languages"] = "en,de" });
        foreach (var timer in _golden.Services.GetServices<IHostedService>().OfType<TimerTriggerScheduler>())
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [TestCleanup]
    public async Task Stop() => await _golden.DisposeAsync();

    private PollClosing Closing => _golden.Services.GetRequiredService<PollClosing>();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        using var response = await _golden.SendAsync(method, path, token, json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> PostPollAsync(string token, object poll, string text = "Which opening hours suit you?")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = text, poll });
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body;
    }

    private static long[] Counts(JsonElement poll) => [.. poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes_count").GetInt64())];

    [TestMethod]
    public async Task A_poll_posted_with_a_JSON_body_is_in_the_status_and_at_api_v1_polls()
    {
        var (_, token) = await _golden.AccountAsync("asker");
        var status = await PostPollAsync(token, new { options = new[] { "Mornings", "Evenings", "Saturdays" }, expires_in = 3600, multiple = false });

        var poll = status.GetProperty("poll");
        Assert.AreEqual(status.GetProperty("id").GetString(), poll.GetProperty("id").GetString());
        CollectionAssert.AreEqual(new[] { "Mornings", "Evenings", "Saturdays" }, poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("title").GetString()).ToArray());
        Assert.AreEqual(_golden.Time.GetUtcNow().AddHours(1), poll.GetProperty("expires_at").GetDateTimeOffset());
        Assert.IsFalse(poll.GetProperty("expired").GetBoolean());
        Assert.AreEqual(0, poll.GetProperty("votes_count").GetInt64());

        var (fetched, body) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{poll.GetProperty("id").GetString()}", null);
        Assert.AreEqual(HttpStatusCode.OK, fetched, body.ToString());
        Assert.IsFalse(body.TryGetProperty("voted", out _), "no viewer: voted is left out, as Mastodon does");
        var (shown, statusBody) = await SendAsync(HttpMethod.Get, $"/api/v1/statuses/{poll.GetProperty("id").GetString()}", token);
        Assert.AreEqual(HttpStatusCode.OK, shown);
        Assert.IsTrue(statusBody.GetProperty("poll").GetProperty("voted").GetBoolean(), "the author counts as having voted");
    }

    [TestMethod]
    public async Task A_poll_posted_with_a_form_body_reads_the_same()
    {
        var (_, token) = await _golden.AccountAsync("former");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent("status=Form+poll&poll%5Boptions%5D%5B%5D=Yes&poll%5Boptions%5D%5B%5D=No&poll%5Bexpires_in%5D=600&poll%5Bmultiple%5D=true&poll%5Bhide_totals%5D=1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _golden.Instance.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body.ToString());
        var poll = body.GetProperty("poll");
        Assert.IsTrue(poll.GetProperty("multiple").GetBoolean());
        Assert.AreEqual(2, poll.GetProperty("options").GetArrayLength());
    }

    [TestMethod]
    public async Task Hostile_polls_are_refused_with_422_and_post_nothing()
    {
        var (alice, token) = await _golden.AccountAsync("hostile");
        var longOption = new string('x', PollLimits.MaxCharactersPerOption + 1);
        var cases = new (object Body, string Error)[]
        {
            (new { status = "p", poll = new { options = new[] { "only" }, expires_in = 600 } }, "more than one item"),
            (new { status = "p", poll = new { options = new[] { "a", "b", "c", "d", "e" }, expires_in = 600 } }, "more than 4 items"),
            (new { status = "p", poll = new { options = new[] { "a", longOption }, expires_in = 600 } }, "cannot be longer than 50 characters"),
            (new { status = "p", poll = new { options = new[] { "same", "same" }, expires_in = 600 } }, "duplicate"),
            (new { status = "p", poll = new { options = new[] { "a", "  " }, expires_in = 600 } }, "can't be blank"),
            (new { status = "p", poll = new { options = new[] { "a", "b" }, expires_in = 299 } }, "too soon"),
            (new { status = "p", poll = new { options = new[] { "a", "b" }, expires_in = PollLimits.MaxExpiration + 1 } }, "too far into the future"),
            (new { status = "p", poll = new { options = new[] { "a", "b" }, expires_in = "soon" } }, "can't be blank"),
            (new { status = "p", poll = new { options = new[] { "a", "b" } } }, "can't be blank"),
            (new { status = "p", poll = new { options = new[] { "a", "b" }, expires_in = "99999999999999999999999" } }, "can't be blank"),
            (new { status = "p", media_ids = new[] { "1" }, poll = new { options = new[] { "a", "b" }, expires_in = 600 } }, "Cannot attach"),
        };
        foreach (var (json, error) in cases)
        {
            var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, json);
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, JsonSerializer.Serialize(json));
            StringAssert.Contains(body.GetProperty("error").GetString(), error, JsonSerializer.Serialize(json));
        }

        var (_, statuses) = await SendAsync(HttpMethod.Get, $"/api/v1/accounts/{alice.Id}/statuses", token);
        Assert.AreEqual(0, statuses.GetArrayLength());
    }

    [TestMethod]
    public async Task Votes_follow_Mastodon_s_rules()
    {
        var (_, alice) = await _golden.AccountAsync("pollster");
        var (_, bob) = await _golden.AccountAsync("voter");
        var (_, carol) = await _golden.AccountAsync("chooser");
        var poll = (await PostPollAsync(alice, new { options = new[] { "A", "B", "C" }, expires_in = 600 })).GetProperty("poll");
        var votes = $"/api/v1/polls/{poll.GetProperty("id").GetString()}/votes";

        var refusals = new (string Token, object Body, string Error)[]
        {
            (alice, new { choices = new[] { 0 } }, "your own polls"),
            (bob, new { choices = new[] { 3 } }, "does not exist"),
            (bob, new { choices = new[] { -1 } }, "does not exist"),
            (bob, new { choices = new[] { "x" } }, "does not exist"),
            (bob, new { choices = new[] { 0, 1 } }, "already voted"),
        };
        foreach (var (token, json, error) in refusals)
        {
            var (status, body) = await SendAsync(HttpMethod.Post, votes, token, json);
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, JsonSerializer.Serialize(json));
            StringAssert.Contains(body.GetProperty("error").GetString(), error);
        }

        Assert.AreEqual(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, votes, bob, new { choices = Array.Empty<int>() })).Status);

        var (voted, answer) = await SendAsync(HttpMethod.Post, votes, bob, new { choices = new[] { 1 } });
        Assert.AreEqual(HttpStatusCode.OK, voted, answer.ToString());
        Assert.IsTrue(answer.GetProperty("voted").GetBoolean());
        CollectionAssert.AreEqual(new[] { 1 }, answer.GetProperty("own_votes").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 1, 0 }, Counts(answer));
        Assert.AreEqual(1, answer.GetProperty("voters_count").GetInt64());

        var (again, againBody) = await SendAsync(HttpMethod.Post, votes, bob, new { choices = new[] { 2 } });
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, again);
        StringAssert.Contains(againBody.GetProperty("error").GetString(), "already voted");

        _golden.Time.Advance(TimeSpan.FromMinutes(11));
        var (late, lateBody) = await SendAsync(HttpMethod.Post, votes, carol, new { choices = new[] { 0 } });
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, late);
        StringAssert.Contains(lateBody.GetProperty("error").GetString(), "already ended");

        var (_, final) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{poll.GetProperty("id").GetString()}", carol);
        CollectionAssert.AreEqual(new long[] { 0, 1, 0 }, Counts(final), "refused votes changed nothing");
        Assert.IsTrue(final.GetProperty("expired").GetBoolean());
        Assert.IsFalse(final.GetProperty("voted").GetBoolean());
        Assert.AreEqual(0, final.GetProperty("own_votes").GetArrayLength());
    }

    [TestMethod]
    public async Task A_multiple_choice_poll_counts_each_option_once_per_voter()
    {
        var (_, alice) = await _golden.AccountAsync("multi");
        var (_, bob) = await _golden.AccountAsync("picker");
        var id = (await PostPollAsync(alice, new { options = new[] { "A", "B", "C" }, expires_in = 600, multiple = true })).GetProperty("id").GetString();

        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 0, 2, 2 } });
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        CollectionAssert.AreEqual(new long[] { 1, 0, 1 }, Counts(body));
        Assert.AreEqual(2, body.GetProperty("votes_count").GetInt64());
        Assert.AreEqual(1, body.GetProperty("voters_count").GetInt64());
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 2 } })).Status);
    }

    [TestMethod]
    public async Task Hidden_totals_are_null_to_others_until_the_poll_ends()
    {
        var (_, alice) = await _golden.AccountAsync("secretive");
        var (_, bob) = await _golden.AccountAsync("curious");
        var id = (await PostPollAsync(alice, new { options = new[] { "A", "B" }, expires_in = 600, hide_totals = true })).GetProperty("id").GetString();
        var (_, voted) = await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 0 } });

        Assert.AreEqual(JsonValueKind.Null, voted.GetProperty("options")[0].GetProperty("votes_count").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, voted.GetProperty("voters_count").ValueKind);
        var (_, anonymous) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{id}", null);
        Assert.AreEqual(JsonValueKind.Null, anonymous.GetProperty("options")[0].GetProperty("votes_count").ValueKind);
        var (_, author) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{id}", alice);
        CollectionAssert.AreEqual(new long[] { 1, 0 }, Counts(author), "the author sees the totals");

        _golden.Time.Advance(TimeSpan.FromMinutes(11));
        var (_, ended) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{id}", null);
        CollectionAssert.AreEqual(new long[] { 1, 0 }, Counts(ended));
    }

    [TestMethod]
    public async Task Concurrent_votes_are_all_counted_exactly()
    {
        var (_, alice) = await _golden.AccountAsync("popular");
        var id = (await PostPollAsync(alice, new { options = new[] { "A", "B" }, expires_in = 600 })).GetProperty("id").GetString()!;
        var voters = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            voters.Add((await _golden.AccountAsync($"crowd{i}")).Account.Id);
        }

        var status = await _golden.Services.GetRequiredService<StatusStore>().GetAsync(id, CancellationToken.None);
        var voting = _golden.Services.GetRequiredService<PollVoting>();
        // Every voter twice at once: each is counted once, none is lost.
        var outcomes = await Task.WhenAll(voters.Concat(voters).Select((v, i) => Task.Run(() => voting.VoteAsync(status!, PollVoter.Local(v), [i % 2 == 0 ? 0 : 1], null, CancellationToken.None))));

        Assert.AreEqual(24, outcomes.Count(o => o.Outcome == PollVoteOutcome.Counted));
        var (_, poll) = await SendAsync(HttpMethod.Get, $"/api/v1/polls/{id}", null);
        Assert.AreEqual(24, poll.GetProperty("voters_count").GetInt64());
        Assert.AreEqual(24, poll.GetProperty("votes_count").GetInt64());
    }

    [TestMethod]
    public async Task An_ended_poll_is_closed_once_and_notifies_its_author_and_voters()
    {
        var (_, alice) = await _golden.AccountAsync("closer");
        var (_, bob) = await _golden.AccountAsync("notified");
        var (_, carol) = await _golden.AccountAsync("bystander");
        var id = (await PostPollAsync(alice, new { options = new[] { "A", "B" }, expires_in = 300 })).GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 1 } })).Status);

        Assert.AreEqual(0, await Closing.RunAsync(CancellationToken.None), "not ended yet");
        _golden.Time.Advance(TimeSpan.FromMinutes(5));
        var closed = await Task.WhenAll(Closing.RunAsync(CancellationToken.None), Closing.RunAsync(CancellationToken.None));
        Assert.AreEqual(1, closed.Sum(), "two timers at once close the poll once");
        Assert.AreEqual(0, await Closing.RunAsync(CancellationToken.None));

        foreach (var (token, expected) in new[] { (alice, 1), (bob, 1), (carol, 0) })
        {
            var (_, notifications) = await SendAsync(HttpMethod.Get, "/api/v1/notifications?types[]=poll", token);
            var polls = notifications.EnumerateArray().Where(n => n.GetProperty("type").GetString() == "poll").ToList();
            Assert.HasCount(expected, polls);
            if (expected == 1)
            {
                Assert.AreEqual(id, polls[0].GetProperty("status").GetProperty("id").GetString());
                Assert.IsTrue(polls[0].GetProperty("status").GetProperty("poll").GetProperty("expired").GetBoolean());
            }
        }
    }

    [TestMethod]
    public async Task A_scheduled_status_keeps_its_poll_and_the_poll_runs_from_its_publication()
    {
        var (_, token) = await _golden.AccountAsync("planner");
        var at = _golden.Time.GetUtcNow().AddMinutes(30);
        var (status, scheduled) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Later poll", scheduled_at = at.ToString("O"), poll = new { options = new[] { "Yes", "No" }, expires_in = 3600, hide_totals = true } });
        Assert.AreEqual(HttpStatusCode.OK, status, scheduled.ToString());
        var parameters = scheduled.GetProperty("params").GetProperty("poll");
        Assert.AreEqual(3600, parameters.GetProperty("expires_in").GetInt64());
        Assert.IsTrue(parameters.GetProperty("hide_totals").GetBoolean());

        _golden.Time.Advance(TimeSpan.FromMinutes(31));
        await _golden.Services.GetRequiredService<ScheduledStatusService>().PublishDueAsync(CancellationToken.None);
        await _golden.DrainAsync(); // the post's fan-out places it in its author's home
        var (_, home) = await SendAsync(HttpMethod.Get, "/api/v1/timelines/home", token);
        var poll = home[0].GetProperty("poll");
        Assert.AreEqual(2, poll.GetProperty("options").GetArrayLength());
        Assert.AreEqual(home[0].GetProperty("created_at").GetDateTimeOffset().AddHours(1), poll.GetProperty("expires_at").GetDateTimeOffset());
    }

    [TestMethod]
    public async Task The_instance_documents_advertise_the_poll_limits()
    {
        var (_, v2) = await SendAsync(HttpMethod.Get, "/api/v2/instance", null);
        var polls = v2.GetProperty("configuration").GetProperty("polls");
        Assert.AreEqual(PollLimits.MaxOptions, polls.GetProperty("max_options").GetInt32());
        Assert.AreEqual(PollLimits.MaxCharactersPerOption, polls.GetProperty("max_characters_per_option").GetInt32());
        Assert.AreEqual(PollLimits.MinExpiration, polls.GetProperty("min_expiration").GetInt32());
        Assert.AreEqual(PollLimits.MaxExpiration, polls.GetProperty("max_expiration").GetInt32());
    }

    [TestMethod]
    public async Task A_poll_answers_its_golden_shape()
    {
        var (_, alice) = await _golden.AccountAsync("golden");
        var (_, bob) = await _golden.AccountAsync("goldvoter");
        var id = (await PostPollAsync(alice, new { options = new[] { "Town hall", "Online" }, expires_in = 86400, multiple = true })).GetProperty("id").GetString();
        await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 0, 1 } });
        await _golden.GoldenAsync("poll", HttpMethod.Get, $"/api/v1/polls/{id}", bob);
    }

    [TestMethod]
    public async Task The_status_page_shows_the_poll_s_results_without_script_in_English_and_German()
    {
        var (alice, token) = await _golden.AccountAsync("pagepoll");
        var (_, bob) = await _golden.AccountAsync("pagevoter");
        var id = (await PostPollAsync(token, new { options = new[] { "Bicycle <lanes>", "Buses" }, expires_in = 600 })).GetProperty("id").GetString();
        await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", bob, new { choices = new[] { 0 } });

        async Task<string> PageAsync(string query)
        {
            using var response = await _golden.SendAsync(HttpMethod.Get, $"/@{alice.Username}/{id}{query}");
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var en = await PageAsync("");
        StringAssert.Contains(en, "Bicycle &lt;lanes&gt;");
        StringAssert.Contains(en, "<meter min=\"0\" max=\"100\" value=\"100\">");
        StringAssert.Contains(en, "1 people voted");
        StringAssert.Contains(en, "Ends ");
        Assert.DoesNotContain("<script", en);
        var de = await PageAsync("?lang=de");
        StringAssert.Contains(de, "1 Personen haben abgestimmt");
        StringAssert.Contains(de, "Endet am");

        _golden.Time.Advance(TimeSpan.FromMinutes(11));
        StringAssert.Contains(await PageAsync(""), "Closed");
        StringAssert.Contains(await PageAsync("?lang=de"), "Beendet");
    }
}
