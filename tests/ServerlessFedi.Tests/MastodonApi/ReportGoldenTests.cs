namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>The Report entity on the wire (docs: entities/Report), pinned by <c>Golden/report.json</c>.</summary>
[TestClass]
public sealed class ReportGoldenTests
{
    [TestMethod]
    public async Task A_filed_report_is_answered_as_Mastodons_Report_entity()
    {
        await using var g = await GoldenInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:Rules"] = "Be civil.\nNo advertising." });
        var (_, aliceToken) = await g.AccountAsync("alice", "Alice Agency");
        var (bob, bobToken) = await g.AccountAsync("bob", "Bob Borough");
        var post = await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", bobToken, new { status = "Cheap followers here" });

        var report = await g.PostAsync("report", "/api/v1/reports", aliceToken, new
        {
            account_id = bob.Id,
            status_ids = new[] { post.GetProperty("id").GetString() },
            comment = "Advertising",
            rule_ids = new[] { "2" },
        });

        Assert.AreEqual("violation", report.GetProperty("category").GetString());
    }
}
