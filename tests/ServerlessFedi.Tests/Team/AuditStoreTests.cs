using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Storage;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Team;

/// <summary>
/// The audit trail's store on Azurite with a fake clock: one partition per agency, newest first, read only within the
/// retention period, expired rows deleted by the daily run; and what the pipeline records of a request.
/// </summary>
[TestClass]
public sealed class AuditStoreTests
{
    private static (AuditStore Store, FakeTimeProvider Clock, TestServices Services) NewStore(int retentionDays = 365)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var services = TestStorage.Services(clock, extra: new Dictionary<string, string?> { ["Fedi:AuditRetentionDays"] = retentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return (new AuditStore(services.Tables, new SnowflakeIds(clock), services.Options, clock), clock, services);
    }

    private static async Task<List<AuditEntry>> ListAsync(AuditStore store, string agencyId, DateTimeOffset? since = null, string? staff = null)
    {
        var list = new List<AuditEntry>();
        await foreach (var e in store.ListAsync(agencyId, since, staff))
        {
            list.Add(e);
        }

        return list;
    }

    [TestMethod]
    public async Task Entries_are_listed_per_agency_newest_first_and_filtered_by_time_and_staff()
    {
        var (store, clock, _) = NewStore();
        await store.RecordAsync("100", "mueller", "Tusky", "POST /api/v1/statuses", "1");
        clock.Advance(TimeSpan.FromDays(2));
        await store.RecordAsync("100", null, "Elk", "POST /api/v1/statuses", "2");
        await store.RecordAsync("200", "mueller", "Tusky", "POST /api/v1/statuses", "3");
        clock.Advance(TimeSpan.FromDays(1));
        await store.RecordAsync("100", "schmidt", "Ivory", "DELETE /api/v1/statuses/:id", "2");

        var all = await ListAsync(store, "100");
        var since = await ListAsync(store, "100", clock.GetUtcNow() - TimeSpan.FromDays(2));
        var mueller = await ListAsync(store, "100", staff: "mueller");
        var own = await ListAsync(store, "100", staff: "");

        CollectionAssert.AreEqual(new[] { "schmidt", null, "mueller" }, all.Select(e => e.Staff).ToArray());
        Assert.AreEqual(2, since.Count);
        Assert.AreEqual("1", mueller.Single().ObjectId, "agency 200's mueller is another person in another partition");
        Assert.AreEqual("Elk", own.Single().Application);
        Assert.AreEqual("3", (await ListAsync(store, "200")).Single().ObjectId);
    }

    [TestMethod]
    public async Task Rows_past_the_retention_are_never_shown_and_the_daily_run_deletes_them()
    {
        var (store, clock, services) = NewStore(retentionDays: 30);
        await store.RecordAsync("100", "alt", null, "POST /api/v1/statuses", "1");
        clock.Advance(TimeSpan.FromDays(20));
        await store.RecordAsync("100", "neu", null, "POST /api/v1/statuses", "2");
        clock.Advance(TimeSpan.FromDays(11));

        var shown = await ListAsync(store, "100");
        var removed = await store.ExpireAsync(["100", "200"]);
        var again = await store.ExpireAsync(["100"]);

        Assert.AreEqual("neu", shown.Single().Staff);
        Assert.AreEqual(1, removed);
        Assert.AreEqual(0, again);
        var longer = new AuditStore(services.Tables, new SnowflakeIds(clock), new FediOptions { AuditRetentionDays = 3650 }, clock);
        Assert.AreEqual("neu", (await ListAsync(longer, "100")).Single().Staff, "the expired row is gone from storage, not only hidden");
    }

    [TestMethod]
    public void The_retention_setting_is_validated()
    {
        Assert.IsTrue(FediOptionsValidator.Validate(Options(0)).Any(e => e.Contains("Fedi__AuditRetentionDays", StringComparison.Ordinal)));
        Assert.IsTrue(FediOptionsValidator.Validate(Options(3651)).Any(e => e.Contains("Fedi__AuditRetentionDays", StringComparison.Ordinal)));
        Assert.IsFalse(FediOptionsValidator.Validate(Options(365)).Any(e => e.Contains("Fedi__AuditRetentionDays", StringComparison.Ordinal)));
        Assert.AreEqual(365, new FediOptions().AuditRetentionDays);

        static FediOptions Options(int days) => new() { BaseUrl = "https://social.example.test", AuditRetentionDays = days };
    }

    [TestMethod]
    public void Writes_that_succeeded_are_recorded_and_reads_and_failures_are_not()
    {
        Assert.IsTrue(AuditTrail.Records("POST", 200));
        Assert.IsTrue(AuditTrail.Records("DELETE", 200));
        Assert.IsTrue(AuditTrail.Records("PUT", 202));
        Assert.IsFalse(AuditTrail.Records("GET", 200));
        Assert.IsFalse(AuditTrail.Records("HEAD", 200));
        Assert.IsFalse(AuditTrail.Records("POST", 422));
        Assert.IsFalse(AuditTrail.Records("POST", 404));
    }

    [TestMethod]
    public void The_action_is_the_route_template_and_the_object_the_answers_id()
    {
        var request = new DefaultHttpContext().Request;
        request.Path = "/api/v1/tags/Wahl2026/follow";
        request.RouteValues["name"] = "Wahl2026";
        var plain = new DefaultHttpContext().Request;
        plain.Path = "/api/v1/statuses/113456789012345678/reblog";

        Assert.AreEqual("/api/v1/tags/:name/follow", AuditTrail.RouteTemplate(request));
        Assert.AreEqual("/api/v1/statuses/:id/reblog", AuditTrail.RouteTemplate(plain));
        Assert.AreEqual("42", AuditTrail.ObjectId(WireResult.Bytes(200, Encoding.UTF8.GetBytes("{\"account\":{\"id\":\"7\"},\"id\":\"42\"}"), "application/json; charset=utf-8")));
        Assert.IsNull(AuditTrail.ObjectId(WireResult.Bytes(200, Encoding.UTF8.GetBytes("[{\"id\":\"1\"}]"), "application/json")));
        Assert.IsNull(AuditTrail.ObjectId(WireResult.Bytes(200, Encoding.UTF8.GetBytes("{}"), "application/json")));
        Assert.IsNull(AuditTrail.ObjectId(WireResult.Bytes(200, Encoding.UTF8.GetBytes("{\"id\":"), "application/json")));
        Assert.IsNull(AuditTrail.ObjectId(WireResult.Bytes(200, Encoding.UTF8.GetBytes("id=42"), "text/plain")));
    }
}
