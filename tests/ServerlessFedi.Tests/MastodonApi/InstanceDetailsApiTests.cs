using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>/api/v1/instance/peers, activity, rules, extended_description, privacy_policy, languages, translation_languages.</summary>
[TestClass]
public sealed class InstanceDetailsApiTests
{
    private static TestInstance _instance = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:Languages"] = "de,dsb,en",
            ["Fedi:InstanceDescription"] = "Official accounts of the State of Example.\n\nRun by the <data> office.",
            ["Fedi:PrivacyPolicyUrl"] = "https://www.example.gov/privacy?lang=en&x=1",
            ["Fedi:Rules"] = "Be civil.\r\n\r\n  No advertising.  \nOfficial information only",
        });
        var alice = await _instance.CreateAccountAsync("alice");
        await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        var token = await tokens.IssueAsync(alice.Id, ["read", "write"]);
        await tokens.IssueAsync(alice.Id, ["read"]);

        for (var i = 0; i < 3; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = new StringContent($"{{\"status\":\"Post {i}\"}}", Encoding.UTF8, "application/json") };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(post)).StatusCode);
        }

        var actors = _instance.Services.GetRequiredService<RemoteActorStore>();
        foreach (var id in new[] { "https://mastodon.example/users/zoe", "https://mastodon.example/users/yan", "https://GTS.Example.org/users/x" })
        {
            await actors.PutAsync(new RemoteActor(id, "Person", "x", null, id + "/inbox", null, null, null, null, null, null, DateTimeOffset.UtcNow), CancellationToken.None);
        }

        await _instance.Services.GetRequiredService<DeliveryHealth>().RecordFailureAsync("down.example.net", "timeout", CancellationToken.None);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<JsonElement> Get(string path, bool rateLimited = true)
    {
        var response = await _instance.Http.GetAsync(path);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, path);
        Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        if (rateLimited)
        {
            Assert.AreEqual("1500", response.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [TestMethod]
    public async Task Peers_are_the_hosts_of_known_actors_and_of_delivery_targets()
    {
        var peers = await Get("/api/v1/instance/peers");

        CollectionAssert.AreEqual(new[] { "down.example.net", "gts.example.org", "mastodon.example" }, peers.EnumerateArray().Select(p => p.GetString()).ToArray());
    }

    [TestMethod]
    public async Task Activity_counts_twelve_weeks_as_strings_newest_first()
    {
        var weeks = (await Get("/api/v1/instance/activity")).EnumerateArray().ToArray();

        Assert.HasCount(12, weeks);
        var monday = InstanceStatistics.WeekStart(DateTimeOffset.UtcNow);
        Assert.AreEqual(DayOfWeek.Monday, monday.DayOfWeek);
        Assert.AreEqual(monday.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), weeks[0].GetProperty("week").GetString());
        Assert.AreEqual(monday.AddDays(-7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), weeks[1].GetProperty("week").GetString());
        Assert.AreEqual("3", weeks[0].GetProperty("statuses").GetString());
        Assert.AreEqual("1", weeks[0].GetProperty("logins").GetString(), "two tokens of one account are one login");
        Assert.AreEqual("2", weeks[0].GetProperty("registrations").GetString());
        foreach (var week in weeks.Skip(1))
        {
            Assert.AreEqual("0", week.GetProperty("statuses").GetString());
            Assert.AreEqual("0", week.GetProperty("registrations").GetString());
        }
    }

    [TestMethod]
    public void Weeks_start_on_Monday_at_midnight_UTC()
    {
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), InstanceStatistics.WeekStart(new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero)));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), InstanceStatistics.WeekStart(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), InstanceStatistics.WeekStart(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.FromHours(3))));
    }

    [TestMethod]
    public async Task Rules_come_from_the_setting_one_per_line_and_appear_in_the_instance_documents()
    {
        var rules = await Get("/api/v1/instance/rules");

        Assert.AreEqual("""[{"id":"1","text":"Be civil.","hint":""},{"id":"2","text":"No advertising.","hint":""},{"id":"3","text":"Official information only","hint":""}]""", rules.GetRawText());
        Assert.AreEqual(rules.GetRawText(), (await Get("/api/v2/instance", rateLimited: false)).GetProperty("rules").GetRawText());
        Assert.AreEqual(rules.GetRawText(), (await Get("/api/v1/instance", rateLimited: false)).GetProperty("rules").GetRawText());
    }

    [TestMethod]
    public async Task Extended_description_is_the_escaped_description_in_paragraphs()
    {
        var doc = await Get("/api/v1/instance/extended_description");

        Assert.AreEqual("<p>Official accounts of the State of Example.</p><p>Run by the &lt;data&gt; office.</p>", doc.GetProperty("content").GetString());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", doc.GetProperty("updated_at").GetString()!);
    }

    [TestMethod]
    public async Task Privacy_policy_links_the_configured_policy_and_is_404_without_one()
    {
        var doc = await Get("/api/v1/instance/privacy_policy");
        StringAssert.Contains(doc.GetProperty("content").GetString(), "href=\"https://www.example.gov/privacy?lang=en&amp;x=1\"");

        var services = _instance.Services;
        var options = new FediOptions { BaseUrl = _instance.BaseUrl, AllowPrivateNetworks = true };
        var urls = new InstanceUrls(options);
        var handler = new InstanceDetailsApiHandler(services.GetRequiredService<ApiEndpoint>(), services.GetRequiredService<InstanceStatistics>(), new InstanceMapper(urls, options, new AccountMapper(urls)), TimeProvider.System);
        var none = handler.PrivacyPolicy(new DefaultHttpContext().Request);
        Assert.AreEqual(404, none.Status);
        Assert.AreEqual("{\"error\":\"Record not found\"}", none.BodyText);
    }

    [TestMethod]
    public async Task Languages_list_the_configured_ones_first_then_every_known_code()
    {
        var languages = (await Get("/api/v1/instance/languages")).EnumerateArray().ToArray();

        CollectionAssert.AreEqual(new[] { "de", "dsb", "en" }, languages.Take(3).Select(l => l.GetProperty("code").GetString()).ToArray());
        Assert.AreEqual("German", languages[0].GetProperty("name").GetString());
        Assert.AreEqual("Lower Sorbian", languages[1].GetProperty("name").GetString());
        Assert.IsGreaterThan(180, languages.Length);
        Assert.AreEqual(languages.Length, languages.Select(l => l.GetProperty("code").GetString()).Distinct().Count());
    }

    [TestMethod]
    public async Task Translation_languages_are_an_empty_map() =>
        Assert.AreEqual("{}", (await Get("/api/v1/instance/translation_languages")).GetRawText());

    [TestMethod]
    public void Rules_over_the_limits_are_refused_at_start_up()
    {
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", Rules = new string('x', 301) + "\n" + string.Join("\n", Enumerable.Range(0, 50).Select(i => $"rule {i}")) });

        Assert.HasCount(2, errors, string.Join("; ", errors));
    }
}
