namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>Whole answers of scheduling (docs: methods/scheduled_statuses, entities/ScheduledStatus) against golden files.</summary>
[TestClass]
public sealed class ScheduledStatusGoldenTests
{
    [TestMethod]
    public async Task Scheduling_listing_moving_and_cancelling()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice", "Alice Agency");
        var at = GoldenInstance.Start.AddDays(1);

        var scheduled = await g.PostAsync("scheduled-status-create", "/api/v1/statuses", token, new
        {
            status = "Office closed on Friday",
            spoiler_text = "Hours",
            language = "en",
            visibility = "unlisted",
            scheduled_at = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        var id = scheduled.GetProperty("id").GetString();
        await g.PostAsync("error-scheduled-too-soon", "/api/v1/statuses", token, new { status = "Soon", scheduled_at = GoldenInstance.Start.AddMinutes(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture) });

        await g.GetAsync("scheduled-statuses", "/api/v1/scheduled_statuses?limit=1", token);
        await g.GoldenAsync("scheduled-status-move", HttpMethod.Put, $"/api/v1/scheduled_statuses/{id}", token, new { scheduled_at = at.AddHours(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        await g.GoldenAsync("scheduled-status-cancel", HttpMethod.Delete, $"/api/v1/scheduled_statuses/{id}", token);
        await g.GetAsync("error-scheduled-status-gone", $"/api/v1/scheduled_statuses/{id}", token);
    }
}
