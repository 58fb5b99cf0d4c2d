using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFedi.Accounts;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;
using SkiaSharp;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Scheduled statuses (docs: methods/statuses#create <c>scheduled_at</c>, methods/scheduled_statuses) over HTTP on a fake
/// clock: the answer, the list, moving and cancelling, reserved media, and publication by the timer's work exactly once
/// and only at the status's time. The instance's own timer scheduler is stopped; the tests run the timer's work themselves.
/// </summary>
[TestClass]
public sealed class ScheduledStatusTests
{
    private GoldenInstance _golden = null!;
    private ApiTestClient _client = null!;

    [TestInitialize]
    public async Task Start()
    {
        _golden = await GoldenInstance.StartAsync();
        foreach (var timer in _golden.Services.GetServices<IHostedService>().OfType<TimerTriggerScheduler>())
        {
            await timer.StopAsync(CancellationToken.None);
        }

        _client = new ApiTestClient(_golden.Instance);
    }

    [TestCleanup]
    public async Task Stop() => await _golden.DisposeAsync();

    private DateTimeOffset Now => _golden.Time.GetUtcNow();

    private ScheduledStatusService Scheduling => _golden.Services.GetRequiredService<ScheduledStatusService>();

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? token, object? json = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : ApiTestClient.Json(json) };
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await _golden.Instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<JsonElement> ScheduleAsync(string token, string text, DateTimeOffset at, string[]? mediaIds = null, string? idempotencyKey = null)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = text, scheduled_at = at.ToString("O"), media_ids = mediaIds ?? [] }, idempotencyKey);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body;
    }

    private async Task<IReadOnlyList<string>> TextsOfAsync(LocalAccount account, string? token = null)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"/api/v1/accounts/{account.Id}/statuses", token);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return [.. body.EnumerateArray().Select(s => s.GetProperty("content").GetString()!)];
    }

    [TestMethod]
    public async Task A_status_scheduled_ahead_answers_a_ScheduledStatus_and_is_published_at_its_time_and_not_before()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        var at = Now.AddMinutes(30);

        var scheduled = await ScheduleAsync(token, "Office closed on Friday", at);

        Assert.IsFalse(scheduled.TryGetProperty("content", out _), "a ScheduledStatus, not a Status");
        Assert.AreEqual(at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), scheduled.GetProperty("scheduled_at").GetString());
        Assert.AreEqual("Office closed on Friday", scheduled.GetProperty("params").GetProperty("text").GetString());
        Assert.AreEqual("public", scheduled.GetProperty("params").GetProperty("visibility").GetString());
        Assert.AreEqual(JsonValueKind.Null, scheduled.GetProperty("params").GetProperty("scheduled_at").ValueKind);
        Assert.AreEqual(0, scheduled.GetProperty("media_attachments").GetArrayLength());
        Assert.AreEqual(0, (await _golden.Instance.Accounts.GetByIdAsync(alice.Id))!.StatusesCount);
        Assert.AreEqual(0, await _client.QueuedAsync(), "nothing federates before the time");

        _golden.Time.Advance(TimeSpan.FromMinutes(29));
        await Scheduling.PublishDueAsync(CancellationToken.None);
        Assert.IsEmpty(await TextsOfAsync(alice), "not published a minute early");
        StringAssert.DoesNotMatch(await _golden.Instance.Http.GetStringAsync("/@alice"), new System.Text.RegularExpressions.Regex("Office closed"), "the public page shows it only at its time");
        Assert.AreEqual(0, await _client.QueuedAsync());

        _golden.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.AreEqual(1, await Scheduling.PublishDueAsync(CancellationToken.None));

        Assert.AreEqual("<p>Office closed on Friday</p>", (await TextsOfAsync(alice)).Single());
        StringAssert.Contains(await _golden.Instance.Http.GetStringAsync("/@alice"), "Office closed on Friday");
        var (_, statuses, _) = await SendAsync(HttpMethod.Get, $"/api/v1/accounts/{alice.Id}/statuses", null);
        Assert.IsTrue(statuses[0].GetProperty("created_at").GetDateTimeOffset() >= at.AddMilliseconds(-at.Millisecond), "the status is dated when it was published");
        Assert.IsGreaterThan(0, await _client.QueuedAsync(), "published: the fan-out is queued");
        var (listed, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/scheduled_statuses", token);
        Assert.AreEqual(HttpStatusCode.OK, listed);
        Assert.AreEqual(0, list.GetArrayLength());
        var (gone, _, _) = await SendAsync(HttpMethod.Get, $"/api/v1/scheduled_statuses/{scheduled.GetProperty("id").GetString()}", token);
        Assert.AreEqual(HttpStatusCode.NotFound, gone);
        Assert.AreEqual(0, await Scheduling.PublishDueAsync(CancellationToken.None), "published once");
        Assert.HasCount(1, await TextsOfAsync(alice));
    }

    [TestMethod]
    public async Task A_time_less_than_five_minutes_ahead_is_refused_and_a_time_already_past_posts_at_once()
    {
        var (alice, token) = await _golden.AccountAsync("alice");

        var (tooSoon, error, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Soon", scheduled_at = Now.AddMinutes(4).ToString("O") });
        var (unreadable, unreadableError, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "When?", scheduled_at = "next friday" });
        var (past, posted, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Now", scheduled_at = Now.AddMinutes(-1).ToString("O") });

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, tooSoon, error.ToString());
        Assert.AreEqual("Validation failed: Scheduled at The scheduled date must be in the future", error.GetProperty("error").GetString());
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, unreadable, unreadableError.ToString());
        Assert.AreEqual(HttpStatusCode.OK, past, posted.ToString());
        Assert.AreEqual("<p>Now</p>", posted.GetProperty("content").GetString());
        Assert.HasCount(1, await TextsOfAsync(alice));
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/scheduled_statuses", token);
        Assert.AreEqual(0, list.GetArrayLength(), "refusals store nothing");
    }

    [TestMethod]
    public async Task Scheduled_statuses_are_listed_newest_first_in_pages_shown_moved_and_cancelled_by_their_author_only()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        var (_, bobsToken) = await _golden.AccountAsync("bob");
        var first = (await ScheduleAsync(token, "One", Now.AddHours(1))).GetProperty("id").GetString()!;
        var second = (await ScheduleAsync(token, "Two", Now.AddHours(2))).GetProperty("id").GetString()!;
        var third = (await ScheduleAsync(token, "Three", Now.AddHours(3))).GetProperty("id").GetString()!;

        var (_, page1, response) = await SendAsync(HttpMethod.Get, "/api/v1/scheduled_statuses?limit=2", token);
        CollectionAssert.AreEqual(new[] { third, second }, page1.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToArray());
        var link = string.Join(",", response.Headers.GetValues("Link"));
        StringAssert.Contains(link, $"{GoldenInstance.BaseUrl}/api/v1/scheduled_statuses?limit=2&max_id={second}>; rel=\"next\"");
        var (_, page2, _) = await SendAsync(HttpMethod.Get, $"/api/v1/scheduled_statuses?limit=2&max_id={second}", token);
        Assert.AreEqual(first, page2.EnumerateArray().Single().GetProperty("id").GetString());

        var (shown, one, _) = await SendAsync(HttpMethod.Get, $"/api/v1/scheduled_statuses/{first}", token);
        Assert.AreEqual(HttpStatusCode.OK, shown);
        Assert.AreEqual("One", one.GetProperty("params").GetProperty("text").GetString());
        var (othersGet, _, _) = await SendAsync(HttpMethod.Get, $"/api/v1/scheduled_statuses/{first}", bobsToken);
        var (othersPut, _, _) = await SendAsync(HttpMethod.Put, $"/api/v1/scheduled_statuses/{first}", bobsToken, new { scheduled_at = Now.AddDays(2).ToString("O") });
        var (othersDelete, _, _) = await SendAsync(HttpMethod.Delete, $"/api/v1/scheduled_statuses/{first}", bobsToken);
        Assert.AreEqual(HttpStatusCode.NotFound, othersGet);
        Assert.AreEqual(HttpStatusCode.NotFound, othersPut);
        Assert.AreEqual(HttpStatusCode.NotFound, othersDelete);

        var later = Now.AddDays(1);
        var (moved, movedBody, _) = await SendAsync(HttpMethod.Put, $"/api/v1/scheduled_statuses/{first}", token, new { scheduled_at = later.ToString("O") });
        Assert.AreEqual(HttpStatusCode.OK, moved, movedBody.ToString());
        Assert.AreEqual(later.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), movedBody.GetProperty("scheduled_at").GetString());
        var (tooSoon, tooSoonBody, _) = await SendAsync(HttpMethod.Put, $"/api/v1/scheduled_statuses/{first}", token, new { scheduled_at = Now.AddMinutes(1).ToString("O") });
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, tooSoon);
        Assert.AreEqual(ScheduledStatusService.TooSoon, tooSoonBody.GetProperty("error").GetString());

        var (cancelled, empty, _) = await SendAsync(HttpMethod.Delete, $"/api/v1/scheduled_statuses/{second}", token);
        Assert.AreEqual(HttpStatusCode.OK, cancelled);
        Assert.AreEqual("{}", empty.ToString());
        var (again, _, _) = await SendAsync(HttpMethod.Delete, $"/api/v1/scheduled_statuses/{second}", token);
        Assert.AreEqual(HttpStatusCode.NotFound, again);

        // At the first one's old time nothing is published (it moved); the cancelled one never is; the third is.
        _golden.Time.Advance(TimeSpan.FromHours(3));
        await Scheduling.PublishDueAsync(CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "<p>Three</p>" }, (await TextsOfAsync(alice)).ToArray());
        _golden.Time.Advance(TimeSpan.FromDays(1));
        await Scheduling.PublishDueAsync(CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "<p>One</p>", "<p>Three</p>" }, (await TextsOfAsync(alice)).ToArray());
    }

    [TestMethod]
    public async Task Media_of_a_scheduled_status_stay_reserved_through_the_clean_up_and_are_published_with_it()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        var photo = await UploadAsync(token);
        var spare = await UploadAsync(token);

        var scheduled = await ScheduleAsync(token, "With a photo", Now.AddDays(3), [photo]);
        var cancelled = await ScheduleAsync(token, "Cancelled", Now.AddDays(3), [spare]);

        Assert.AreEqual(photo, scheduled.GetProperty("media_attachments")[0].GetProperty("id").GetString());
        CollectionAssert.AreEqual(new[] { photo }, scheduled.GetProperty("params").GetProperty("media_ids").EnumerateArray().Select(e => e.GetString()).ToArray());
        var (taken, takenBody, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Same photo", media_ids = new[] { photo } });
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, taken, "reserved media cannot be attached elsewhere: " + takenBody);
        var (again, _, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Again", scheduled_at = Now.AddDays(4).ToString("O"), media_ids = new[] { photo } });
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, again);

        // Cancelling unlinks the media: they can be attached again.
        await SendAsync(HttpMethod.Delete, $"/api/v1/scheduled_statuses/{cancelled.GetProperty("id").GetString()}", token);
        var (reused, reusedBody, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Reused", media_ids = new[] { spare } });
        Assert.AreEqual(HttpStatusCode.OK, reused, reusedBody.ToString());

        _golden.Time.Advance(TimeSpan.FromDays(2));
        await _golden.Services.GetRequiredService<MediaCleanUp>().CleanUpAsync(CancellationToken.None);
        Assert.IsNotNull(await _golden.Services.GetRequiredService<MediaStore>().GetAsync(alice.Id, photo, CancellationToken.None), "the clean-up leaves reserved media");

        _golden.Time.Advance(TimeSpan.FromDays(1));
        await Scheduling.PublishDueAsync(CancellationToken.None);

        var (_, statuses, _) = await SendAsync(HttpMethod.Get, $"/api/v1/accounts/{alice.Id}/statuses", token);
        var published = statuses.EnumerateArray().Single(s => s.GetProperty("content").GetString() == "<p>With a photo</p>");
        Assert.AreEqual(photo, published.GetProperty("media_attachments")[0].GetProperty("id").GetString());
        var media = await _golden.Services.GetRequiredService<MediaStore>().GetAsync(alice.Id, photo, CancellationToken.None);
        Assert.AreEqual(published.GetProperty("id").GetString(), media!.Value.Media.StatusId);
    }

    [TestMethod]
    public async Task Two_instances_running_the_timer_at_once_publish_a_due_status_once()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        await ScheduleAsync(token, "Raced", Now.AddMinutes(10));
        await ScheduleAsync(token, "Raced too", Now.AddMinutes(10));
        _golden.Time.Advance(TimeSpan.FromMinutes(11));

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Scheduling.PublishDueAsync(CancellationToken.None))));

        Assert.AreEqual(2, counts.Sum());
        CollectionAssert.AreEquivalent(new[] { "<p>Raced</p>", "<p>Raced too</p>" }, (await TextsOfAsync(alice)).ToArray());
        Assert.AreEqual(2, (await _golden.Instance.Accounts.GetByIdAsync(alice.Id))!.StatusesCount);
    }

    [TestMethod]
    public async Task A_claim_whose_instance_died_is_taken_over_after_five_minutes_with_the_same_status_id()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        var id = (await ScheduleAsync(token, "Claimed", Now.AddMinutes(10))).GetProperty("id").GetString()!;
        _golden.Time.Advance(TimeSpan.FromMinutes(10));
        var store = _golden.Services.GetRequiredService<ScheduledStatusStore>();
        var (held, etag) = (await store.GetAsync(alice.Id, id, CancellationToken.None))!.Value;
        Assert.IsNotNull(await store.TryClaimAsync(held, etag, "117684648624352871", Now, CancellationToken.None), "an instance claims it, then dies");

        Assert.AreEqual(0, await Scheduling.PublishDueAsync(CancellationToken.None));
        _golden.Time.Advance(ScheduledStatusService.ClaimTimeout);
        Assert.AreEqual(1, await Scheduling.PublishDueAsync(CancellationToken.None));

        var (status, body, _) = await SendAsync(HttpMethod.Get, "/api/v1/statuses/117684648624352871", token);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("<p>Claimed</p>", body.GetProperty("content").GetString());
        Assert.HasCount(1, await TextsOfAsync(alice));
    }

    [TestMethod]
    public async Task The_same_idempotency_key_answers_the_first_scheduled_status()
    {
        var (_, token) = await _golden.AccountAsync("alice");
        var at = Now.AddHours(1);

        var first = await ScheduleAsync(token, "Once", at, idempotencyKey: "k-sched");
        var second = await ScheduleAsync(token, "Once", at, idempotencyKey: "k-sched");

        Assert.AreEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/scheduled_statuses", token);
        Assert.AreEqual(1, list.GetArrayLength());
    }

    [TestMethod]
    public async Task A_scheduled_status_whose_reply_target_is_gone_is_dropped_at_its_time_and_its_media_released()
    {
        var (alice, token) = await _golden.AccountAsync("alice");
        var parent = await _client.PostAsync(token, "Question");
        var photo = await UploadAsync(token);
        await ScheduleAsync(token, "Answer", Now.AddMinutes(10));
        var (scheduledStatus, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Reply", in_reply_to_id = parent, scheduled_at = Now.AddMinutes(10).ToString("O"), media_ids = new[] { photo } });
        Assert.AreEqual(HttpStatusCode.OK, scheduledStatus, body.ToString());
        await SendAsync(HttpMethod.Delete, $"/api/v1/statuses/{parent}", token);
        _golden.Time.Advance(TimeSpan.FromMinutes(11));

        Assert.AreEqual(1, await Scheduling.PublishDueAsync(CancellationToken.None));

        CollectionAssert.AreEqual(new[] { "<p>Answer</p>" }, (await TextsOfAsync(alice)).ToArray());
        var (_, list, _) = await SendAsync(HttpMethod.Get, "/api/v1/scheduled_statuses", token);
        Assert.AreEqual(0, list.GetArrayLength());
        var (released, media, _) = await SendAsync(HttpMethod.Get, $"/api/v1/media/{photo}", token);
        Assert.AreEqual(HttpStatusCode.OK, released, "the dropped status's media are unattached again: " + media);
    }

    [TestMethod]
    public void The_publishing_timer_runs_every_minute_without_app_settings_in_its_schedule()
    {
        var function = FunctionsApp.Metadata.Single(f => f.Name == "ScheduledStatusesPublish");

        Assert.AreEqual("timerTrigger", function.Trigger!.Type, ignoreCase: true);
        Assert.AreEqual("0 * * * * *", function.Trigger.Schedule);
    }

    private async Task<string> UploadAsync(string token)
    {
        var file = ApiTestClient.File(ApiTestClient.Image(64, 48, SKEncodedImageFormat.Png), "image/png");
        using var content = new MultipartFormDataContent { { file, "file", "photo.png" } };
        var (status, body) = await _client.SendAsync(HttpMethod.Post, "/api/v1/media", token, content);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }
}
