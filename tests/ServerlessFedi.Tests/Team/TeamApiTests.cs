using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.OAuth;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Team;

/// <summary>
/// The managers' team routes (<c>/api/serverlessfedi/team</c>, docs/TEAM.md): an agency's manager lists its staff, adds
/// and removes posters (removal revokes the poster's token at once) and reads its audit trail; a poster, another
/// agency's manager and a token without the scope are refused, and no agency sees another's team or audit.
/// </summary>
[TestClass]
public sealed class TeamApiTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _api = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _api = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task A_manager_adds_and_removes_posters_and_reads_only_its_own_agencys_audit()
    {
        var (presse, presseToken) = await AgencyAsync("presse");
        var (other, _) = await AgencyAsync("bauamt");
        var manager = await StaffTokenAsync(presse, "chefin", StaffRole.Manager);
        var otherManager = await StaffTokenAsync(other, "leitung", StaffRole.Manager);
        await _api.PostAsync(manager, "Pressemitteilung der Woche");
        await _api.PostAsync(presseToken, "Von der Agentur selbst");

        var (added, poster) = await _api.SendAsync(HttpMethod.Post, "/api/serverlessfedi/team/staff", manager, ApiTestClient.Json(new { name = "mueller", email = "mueller@presse.example", password = "Correct-Horse-42-battery" }));
        var (_, list) = await _api.GetAsync("/api/serverlessfedi/team/staff", manager);
        var posterToken = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(presse.Id, ["read", "write"], description: "Tusky", staff: "mueller");
        await _api.PostAsync(posterToken, "Von Müller");
        // A post's audit row is recorded by its fan-out's first message, a queue hop after the answer.
        var audit = await Federation.Eventually.ValueAsync(
            async () => (await _api.GetAsync("/api/serverlessfedi/team/audit", manager)).Body,
            a => a.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "POST /api/v1/statuses") >= 3,
            "the three posts' audit rows");
        var (_, otherAudit) = await _api.GetAsync("/api/serverlessfedi/team/audit", otherManager);
        var (_, ownLoginOnly) = await _api.GetAsync("/api/serverlessfedi/team/audit?staff=-", manager);

        Assert.AreEqual(HttpStatusCode.OK, added, poster.ToString());
        Assert.AreEqual("poster", poster.GetProperty("role").GetString(), "managers add posters only");
        Assert.IsFalse(poster.TryGetProperty("password_hash", out _));
        CollectionAssert.AreEquivalent(new[] { "chefin", "mueller" }, list.EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToArray());
        var actions = audit.EnumerateArray().Select(e => (e.GetProperty("staff").GetString(), e.GetProperty("action").GetString())).ToList();
        CollectionAssert.Contains(actions, ("mueller", "POST /api/v1/statuses"));
        CollectionAssert.Contains(actions, ("chefin", "POST /api/v1/statuses"));
        CollectionAssert.Contains(actions, ((string?)null, "POST /api/v1/statuses"));
        Assert.IsFalse(otherAudit.EnumerateArray().Any(e => e.GetProperty("staff").GetString() is "mueller" or "chefin"), "another agency's manager sees none of it");
        Assert.IsTrue(ownLoginOnly.EnumerateArray().All(e => e.GetProperty("staff").ValueKind == JsonValueKind.Null));

        var (removed, _) = await _api.SendAsync(HttpMethod.Delete, "/api/serverlessfedi/team/staff/mueller", manager);
        var (afterRemoval, _) = await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", posterToken, ApiTestClient.Json(new { status = "still here?" }));
        var (otherRemoves, _) = await _api.SendAsync(HttpMethod.Delete, "/api/serverlessfedi/team/staff/chefin", otherManager);

        Assert.AreEqual(HttpStatusCode.OK, removed);
        Assert.AreEqual(HttpStatusCode.Unauthorized, afterRemoval, "removal revokes the poster's token at once");
        Assert.AreEqual(HttpStatusCode.NotFound, otherRemoves, "another agency's staff is not even found");
        Assert.IsNotNull(await _instance.Services.GetRequiredService<StaffStore>().GetAsync(presse.Id, "chefin"));
    }

    [TestMethod]
    public async Task Posters_other_managers_and_tokens_without_scope_are_refused_and_change_nothing()
    {
        var (agency, agencyToken) = await AgencyAsync("umwelt");
        var manager = await StaffTokenAsync(agency, "boss", StaffRole.Manager);
        var colleague = await StaffTokenAsync(agency, "vize", StaffRole.Manager);
        var poster = await StaffTokenAsync(agency, "schmidt", StaffRole.Poster);
        var readOnly = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(agency.Id, ["read"], staff: "boss");

        var (posterList, posterBody) = await _api.GetAsync("/api/serverlessfedi/team/staff", poster);
        var (posterAudit, _) = await _api.GetAsync("/api/serverlessfedi/team/audit", poster);
        var (posterAdds, _) = await _api.SendAsync(HttpMethod.Post, "/api/serverlessfedi/team/staff", poster, ApiTestClient.Json(new { name = "neu", password = "Correct-Horse-42-battery" }));
        var (managerRemovesManager, _) = await _api.SendAsync(HttpMethod.Delete, "/api/serverlessfedi/team/staff/vize", manager);
        var (noScope, _) = await _api.SendAsync(HttpMethod.Post, "/api/serverlessfedi/team/staff", readOnly, ApiTestClient.Json(new { name = "neu", password = "Correct-Horse-42-battery" }));
        var (anonymous, _) = await _api.GetAsync("/api/serverlessfedi/team/audit", null);
        var (weak, weakBody) = await _api.SendAsync(HttpMethod.Post, "/api/serverlessfedi/team/staff", manager, ApiTestClient.Json(new { name = "Bad Name!", password = "x" }));
        var (badSince, _) = await _api.GetAsync("/api/serverlessfedi/team/audit?since=yesterday", manager);
        var (ownerRemovesManager, _) = await _api.SendAsync(HttpMethod.Delete, "/api/serverlessfedi/team/staff/vize", agencyToken);
        var (_, left) = await _api.GetAsync("/api/serverlessfedi/team/staff", agencyToken);

        Assert.AreEqual(HttpStatusCode.Forbidden, posterList);
        Assert.AreEqual(JsonValueKind.String, posterBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.Forbidden, posterAudit);
        Assert.AreEqual(HttpStatusCode.Forbidden, posterAdds);
        Assert.AreEqual(HttpStatusCode.Forbidden, managerRemovesManager, "a manager removes posters only");
        Assert.AreEqual(HttpStatusCode.Forbidden, noScope);
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, weak);
        Assert.AreEqual(JsonValueKind.String, weakBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, badSince);
        Assert.AreEqual(HttpStatusCode.OK, ownerRemovesManager, "the agency's own login manages everyone");
        CollectionAssert.AreEquivalent(new[] { "boss", "schmidt" }, left.EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToArray(), "only the owner's removal took effect");
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/accounts/verify_credentials", colleague)).Status, "the removed manager's token is revoked");
    }

    private static Task<(ServerlessFedi.Accounts.LocalAccount Account, string Token)> AgencyAsync(string name) => _api.AccountAsync(name + ApiTestClient.Next());

    /// <summary>A staff member of <paramref name="agency"/> and a token of theirs (as the OAuth login issues it).</summary>
    private static async Task<string> StaffTokenAsync(ServerlessFedi.Accounts.LocalAccount agency, string name, StaffRole role)
    {
        var added = await _instance.Services.GetRequiredService<StaffStore>().AddAsync(agency, name, null, "Correct-Horse-42-battery", role);
        Assert.IsNotNull(added.Member, string.Join("; ", added.Errors));
        return await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(agency.Id, ["read", "write"], description: "Elk", staff: name);
    }
}
