using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Web;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using ServerlessFedi.Accounts;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.OAuth;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.OAuth;

namespace ServerlessFedi.Tests.Team;

/// <summary>
/// Team access through the running instance (issue 18): staff members of an agency log in on the OAuth page with
/// <c>staff@agency</c> or their e-mail and their own password (and second factor), act as the agency in the client API,
/// are named in the agency's audit trail for each write, and lose their tokens at once when removed. Each test has its
/// own agencies and client address (the instance trusts a Front Door id, so tests can speak for many addresses).
/// </summary>
[TestClass]
public sealed class TeamAccessTests
{
    private const string FrontDoorId = "0c2f3a9e-6b1d-4e8f-a7c5-3d9b2e1f4a60";
    private const string StaffPassword = "Staff-Pass-2026-ok";

    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;
    private static RegisteredApp _app = null!;
    private static int _next;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:FrontDoorId"] = FrontDoorId,
            ["Fedi:TwoFactorKey"] = TwoFactorAuthenticatorTests.Key,
        });
        _client = new OAuthClient(_instance);
        _app = await _client.RegisterAsync("read write follow");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    private static string Next() => Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    private static StaffStore Staff => _instance.Services.GetRequiredService<StaffStore>();

    private static AuditStore Audit => _instance.Services.GetRequiredService<AuditStore>();

    /// <summary>A fresh agency with a client address of its own.</summary>
    private static async Task<(LocalAccount Agency, string Address)> AgencyAsync(string? email = null)
    {
        var agency = await _instance.CreateAccountAsync("presse" + Next(), ActorType.Organization, email: email);
        return (agency, "198.51.100." + Next());
    }

    private static async Task<StaffMember> AddStaffAsync(LocalAccount agency, string name, string? email = null, StaffRole role = StaffRole.Poster)
    {
        var result = await Staff.AddAsync(agency, name, email, StaffPassword, role);
        Assert.IsNotNull(result.Member, string.Join("; ", result.Errors));
        return result.Member;
    }

    /// <summary>Opens the login form and posts the login: the answer (a redirect with the code, or a page).</summary>
    private static async Task<HttpResponseMessage> LoginAsync(string login, string password, string address, IDictionary<string, string>? extra = null, LoginForm? form = null)
    {
        form ??= await _client.OpenAsync(OAuthClient.AuthorizePath(_app, "read write follow"));
        var fields = new Dictionary<string, string>(form.Fields) { ["username"] = login, ["password"] = password };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", form.Cookie);
        request.Headers.Add("X-Azure-FDID", FrontDoorId);
        request.Headers.Add("X-Azure-ClientIP", address);
        return await _client.Http.SendAsync(request);
    }

    /// <summary>The code flow to the end: a token for <paramref name="login"/>.</summary>
    private static async Task<string> TokenAsync(string login, string address, string password = StaffPassword)
    {
        using var response = await LoginAsync(login, password, address);
        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode, await response.Content.ReadAsStringAsync());
        var code = HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]!;
        var (status, body) = await _client.ExchangeAsync(_app, code);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostStatusAsync(string token, string text) =>
        _client.SendJsonAsync(HttpMethod.Post, "/api/v1/statuses", new { status = text }, token);

    /// <summary>The agency's rows once <paramref name="count"/> are there: a post's row is recorded by its fan-out's first message, a queue hop after the answer.</summary>
    private static Task<List<AuditEntry>> PostRowsAsync(string agencyId, int count) =>
        Eventually.ValueAsync(() => AuditOfAsync(agencyId), a => a.Count >= count, $"{count} audit row(s) of posts");

    private static async Task<List<AuditEntry>> AuditOfAsync(string agencyId)
    {
        var entries = new List<AuditEntry>();
        await foreach (var e in Audit.ListAsync(agencyId))
        {
            entries.Add(e);
        }

        return entries;
    }

    [TestMethod]
    public async Task A_staff_member_logs_in_as_staff_at_agency_acts_as_the_agency_and_is_named_in_the_audit()
    {
        var (agency, address) = await AgencyAsync();
        await AddStaffAsync(agency, "mueller");

        var token = await TokenAsync("mueller@" + agency.Username, address);
        var (meStatus, me) = await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, token);
        var (postStatus, post) = await PostStatusAsync(token, "Pressemitteilung 1");

        Assert.AreEqual(HttpStatusCode.OK, meStatus);
        Assert.AreEqual(agency.Username, me.GetProperty("username").GetString());
        Assert.AreEqual(HttpStatusCode.OK, postStatus, post.ToString());
        Assert.AreEqual(agency.Id, post.GetProperty("account").GetProperty("id").GetString());
        Assert.DoesNotContain("mueller", post.ToString(), "the API never shows the staff member");
        var entry = (await PostRowsAsync(agency.Id, 1)).Single();
        Assert.AreEqual("mueller", entry.Staff);
        Assert.AreEqual("POST /api/v1/statuses", entry.Action);
        Assert.AreEqual(post.GetProperty("id").GetString(), entry.ObjectId);
        Assert.AreEqual(_app.Body.GetProperty("name").GetString(), entry.Application);
    }

    [TestMethod]
    public async Task A_staff_member_logs_in_with_their_e_mail_and_the_agency_with_its_own_password_as_before()
    {
        var (agency, address) = await AgencyAsync(email: "presse" + Next() + "@ministerium.example");
        var staff = await AddStaffAsync(agency, "schmidt", email: "schmidt" + Next() + "@ministerium.example");

        var staffToken = await TokenAsync(staff.Email!, address);
        var agencyToken = await TokenAsync(agency.Username, address, OAuthClient.Password);
        var byAgencyEmail = await TokenAsync(agency.Email!, address, OAuthClient.Password);
        await PostStatusAsync(staffToken, "by Schmidt");
        await PostStatusAsync(agencyToken, "by the agency's own login");

        Assert.AreNotEqual(staffToken, byAgencyEmail);
        var audit = await PostRowsAsync(agency.Id, 2);
        CollectionAssert.AreEqual(new string?[] { null, "schmidt" }, audit.Select(e => e.Staff).ToArray(), "newest first: the agency's own login has no staff name");
    }

    [TestMethod]
    public async Task The_agencys_password_does_not_open_a_staff_login_nor_a_staff_password_the_agency()
    {
        var (agency, address) = await AgencyAsync();
        await AddStaffAsync(agency, "weber");

        using var agencyPasswordAsStaff = await LoginAsync("weber@" + agency.Username, OAuthClient.Password, address);
        using var staffPasswordAsAgency = await LoginAsync(agency.Username, StaffPassword, address);
        using var unknownStaff = await LoginAsync("nobody@" + agency.Username, StaffPassword, address);

        Assert.AreEqual(HttpStatusCode.Unauthorized, agencyPasswordAsStaff.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, staffPasswordAsAgency.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, unknownStaff.StatusCode);
    }

    [TestMethod]
    public async Task Staff_of_agency_a_cannot_log_in_as_staff_of_agency_b_nor_act_for_it()
    {
        var (a, address) = await AgencyAsync();
        var (b, _) = await AgencyAsync();
        await AddStaffAsync(a, "mueller");
        var bToken = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(b.Id, ["read", "write"]);
        var (_, bPost) = await PostStatusAsync(bToken, "agency B's post");

        using var crossLogin = await LoginAsync("mueller@" + b.Username, StaffPassword, address);
        var aToken = await TokenAsync("mueller@" + a.Username, address);
        var (deleteStatus, _) = await _client.SendJsonAsync(HttpMethod.Delete, "/api/v1/statuses/" + bPost.GetProperty("id").GetString(), null, aToken);

        Assert.AreEqual(HttpStatusCode.Unauthorized, crossLogin.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, deleteStatus, "another agency's status is not the staff member's to delete");
        Assert.IsTrue((await PostRowsAsync(b.Id, 1)).All(e => e.Staff is null), "agency B's audit holds only its own login");
        Assert.IsEmpty(await AuditOfAsync(a.Id), "a refused write is not recorded");
    }

    [TestMethod]
    public async Task Removing_a_staff_member_revokes_their_tokens_at_once_and_nobody_elses()
    {
        var (agency, address) = await AgencyAsync();
        var mueller = await AddStaffAsync(agency, "mueller");
        await AddStaffAsync(agency, "schmidt");
        var muellerToken = await TokenAsync("mueller@" + agency.Username, address);
        var muellerSecondApp = await TokenAsync("mueller@" + agency.Username, address);
        var schmidtToken = await TokenAsync("schmidt@" + agency.Username, address);
        var agencyToken = await TokenAsync(agency.Username, address, OAuthClient.Password);

        var revoked = await _instance.Services.GetRequiredService<TeamService>().RemoveAsync(mueller);

        Assert.AreEqual(2, revoked);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostStatusAsync(muellerToken, "after removal")).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostStatusAsync(muellerSecondApp, "after removal")).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await PostStatusAsync(schmidtToken, "still here")).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await PostStatusAsync(agencyToken, "the agency too")).Status);
        using var again = await LoginAsync("mueller@" + agency.Username, StaffPassword, address);
        Assert.AreEqual(HttpStatusCode.Unauthorized, again.StatusCode, "a removed staff member cannot log in");
        CollectionAssert.AreEqual(new string?[] { null, "schmidt" }, (await PostRowsAsync(agency.Id, 2)).Select(e => e.Staff).ToArray());
    }

    [TestMethod]
    public async Task A_code_issued_before_the_removal_is_not_exchanged_for_a_token()
    {
        var (agency, address) = await AgencyAsync();
        var member = await AddStaffAsync(agency, "late");
        using var response = await LoginAsync("late@" + agency.Username, StaffPassword, address);
        var code = HttpUtility.ParseQueryString(response.Headers.Location!.Query)["code"]!;

        await _instance.Services.GetRequiredService<TeamService>().RemoveAsync(member);
        var (status, body) = await _client.ExchangeAsync(_app, code);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_grant", body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Wrong_staff_passwords_are_throttled_for_the_staff_member_alone()
    {
        var (agency, address) = await AgencyAsync();
        await AddStaffAsync(agency, "guessed");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= LoginThrottle.FreeFailures; i++)
        {
            using var response = await LoginAsync("guessed@" + agency.Username, "Wrong-password-" + i, address);
            statuses.Add(response.StatusCode);
        }

        Assert.IsTrue(statuses.Take(LoginThrottle.FreeFailures).All(s => s == HttpStatusCode.Unauthorized), string.Join(",", statuses));
        Assert.AreEqual(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var right = await LoginAsync("guessed@" + agency.Username, StaffPassword, address);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, right.StatusCode, "even the right password waits out the back-off");
        _ = await TokenAsync(agency.Username, address, OAuthClient.Password);
    }

    [TestMethod]
    public async Task A_staff_members_own_second_factor_is_asked_after_their_password()
    {
        var (agency, address) = await AgencyAsync();
        var member = await AddStaffAsync(agency, "zweifach");
        var setup = await _instance.Services.GetRequiredService<TwoFactorAuthenticator>().EnableAsync(member.Subject, "zweifach@" + agency.Username);

        var first = await _client.OpenAsync(OAuthClient.AuthorizePath(_app, "read write follow"));
        using var passwordStep = await LoginAsync("zweifach@" + agency.Username, StaffPassword, address, form: first);
        var page = new HtmlParser().ParseDocument(await passwordStep.Content.ReadAsStringAsync());
        var form = (IHtmlFormElement)page.QuerySelector("form")!;
        var fields = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Type == "hidden").ToDictionary(i => i.Name!, i => i.Value);
        fields["otp"] = new Totp(Base32Encoding.ToBytes(setup.Secret)).ComputeTotp(DateTime.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(form.Action).AbsolutePath) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", first.Cookie);
        request.Headers.Add("X-Azure-FDID", FrontDoorId);
        request.Headers.Add("X-Azure-ClientIP", address);
        using var codeStep = await _client.Http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, passwordStep.StatusCode);
        Assert.IsTrue(fields.ContainsKey("login_ticket"));
        Assert.AreEqual(HttpStatusCode.Found, codeStep.StatusCode, await codeStep.Content.ReadAsStringAsync());
        var code = HttpUtility.ParseQueryString(codeStep.Headers.Location!.Query)["code"]!;
        var (status, body) = await _client.ExchangeAsync(_app, code);
        Assert.AreEqual(HttpStatusCode.OK, status);
        var token = await _instance.Services.GetRequiredService<AccessTokenStore>().FindAsync(body.GetProperty("access_token").GetString()!);
        Assert.AreEqual("zweifach", token!.Staff);
        Assert.AreEqual(agency.Id, token.AccountId);
    }

    [TestMethod]
    public async Task Every_write_is_recorded_with_its_route_template_and_object_and_reads_are_not()
    {
        var (agency, address) = await AgencyAsync();
        await AddStaffAsync(agency, "fleissig");
        var token = await TokenAsync("fleissig@" + agency.Username, address);
        var (_, post) = await PostStatusAsync(token, "to be favourited");
        var id = post.GetProperty("id").GetString();

        await _client.SendJsonAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/favourite", null, token);
        await _client.SendJsonAsync(HttpMethod.Get, $"/api/v1/statuses/{id}", null, token);
        await _client.SendJsonAsync(HttpMethod.Patch, "/api/v1/accounts/update_credentials", new { display_name = "Pressestelle" }, token);
        await _client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/statuses/{id}", null, token);

        // The post's and the favourite's rows are recorded by their queue messages (sent before the write).
        var audit = await Eventually.ValueAsync(() => AuditOfAsync(agency.Id), a => a.Count == 4, "the post's and the favourite's rows");
        CollectionAssert.AreEqual(
            new[] { "DELETE /api/v1/statuses/:id", "PATCH /api/v1/accounts/update_credentials", "POST /api/v1/statuses/:id/favourite", "POST /api/v1/statuses" },
            audit.Select(e => e.Action).ToArray());
        Assert.IsTrue(audit.Where(e => e.Action.Contains("statuses", StringComparison.Ordinal)).All(e => e.ObjectId == id));
        Assert.AreEqual(agency.Id, audit[1].ObjectId, "the profile change names the account");
        Assert.IsTrue(audit.All(e => e.Staff == "fleissig"));
    }

    [TestMethod]
    public async Task Nothing_public_names_the_staff_member()
    {
        var (agency, address) = await AgencyAsync();
        await AddStaffAsync(agency, "geheimname");
        var token = await TokenAsync("geheimname@" + agency.Username, address);
        var (_, post) = await PostStatusAsync(token, "public post");

        using var note = new HttpRequestMessage(HttpMethod.Get, $"/users/{agency.Username}/statuses/{post.GetProperty("id").GetString()}");
        note.Headers.Add("Accept", "application/activity+json");
        using var noteResponse = await _client.Http.SendAsync(note);
        var actor = await _client.Http.GetStringAsync($"/@{agency.Username}");

        Assert.AreEqual(HttpStatusCode.OK, noteResponse.StatusCode);
        Assert.DoesNotContain("geheimname", await noteResponse.Content.ReadAsStringAsync());
        Assert.DoesNotContain("geheimname", actor);
    }

    [TestMethod]
    public async Task The_cli_adds_lists_audits_exports_and_removes_staff()
    {
        var (agency, address) = await AgencyAsync();
        var configuration = TestStorage.Configuration(_instance.Prefix);
        async Task<(int Exit, string Out, string Err)> RunAsync(string stdin, params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            using var input = new StringReader(stdin);
            var exit = await AdminCli.RunAsync(args, configuration, stdout, stderr, input);
            return (exit, stdout.ToString(), stderr.ToString());
        }

        var generated = await RunAsync("", "account", "staff", "add", "--username", agency.Username, "--staff", "mueller", "--role", "manager");
        var fromStdin = await RunAsync(StaffPassword + "\n", "account", "staff", "add", "--username", agency.Username, "--staff", "schmidt", "--password-stdin");
        var duplicate = await RunAsync(StaffPassword + "\n", "account", "staff", "add", "--username", agency.Username, "--staff", "schmidt", "--password-stdin");
        var badName = await RunAsync(StaffPassword + "\n", "account", "staff", "add", "--username", agency.Username, "--staff", "Bad-Name", "--password-stdin");
        var password = generated.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[^1];
        var muellerToken = await TokenAsync("mueller@" + agency.Username, address, password);
        var schmidtToken = await TokenAsync("schmidt@" + agency.Username, address);
        var (_, muellerPost) = await PostStatusAsync(muellerToken, "Mueller's post");
        var (_, schmidtPost) = await PostStatusAsync(schmidtToken, "Schmidt's post");
        await PostRowsAsync(agency.Id, 2);
        var list = await RunAsync("", "account", "staff", "list", "--username", agency.Username);
        var audit = await RunAsync("", "audit", "--username", agency.Username);
        var onlySchmidt = await RunAsync("", "audit", "--username", agency.Username, "--staff", "schmidt", "--since", "2026-01-01");
        var zip = Path.Combine(Path.GetTempPath(), "team-" + Next() + "-" + agency.Username + ".zip");
        var plain = zip + ".plain.zip";
        var exported = await RunAsync("", "account", "export", "--username", agency.Username, "--out", zip, "--include-audit");
        await RunAsync("", "account", "export", "--username", agency.Username, "--out", plain);
        var removed = await RunAsync("", "account", "staff", "remove", "--username", agency.Username, "--staff", "schmidt");

        Assert.AreEqual(0, generated.Exit, generated.Err);
        Assert.AreEqual(0, fromStdin.Exit, fromStdin.Err);
        Assert.AreEqual(1, duplicate.Exit);
        Assert.Contains("already has a staff member", duplicate.Err);
        Assert.AreEqual(1, badName.Exit);
        Assert.Contains("manager", list.Out);
        Assert.Contains("2 staff member(s)", list.Out);
        Assert.DoesNotContain(StaffPassword, list.Out);
        Assert.Contains("mueller", audit.Out);
        Assert.Contains(muellerPost.GetProperty("id").GetString()!, audit.Out);
        Assert.Contains(schmidtPost.GetProperty("id").GetString()!, onlySchmidt.Out);
        Assert.DoesNotContain("mueller", onlySchmidt.Out);
        Assert.AreEqual(0, exported.Exit, exported.Err);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(zip))
        {
            using var reader = new StreamReader(archive.GetEntry(AuditExport.FileName)!.Open());
            var csv = await reader.ReadToEndAsync();
            StringAssert.StartsWith(csv, "time,staff,application,action,object_id");
            Assert.Contains("schmidt", csv);
        }

        using (var archive = System.IO.Compression.ZipFile.OpenRead(plain))
        {
            Assert.IsNull(archive.GetEntry(AuditExport.FileName), "the audit is exported only when asked for");
        }

        Assert.AreEqual(0, removed.Exit, removed.Err);
        Assert.Contains("1 token(s) revoked", removed.Out);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostStatusAsync(schmidtToken, "gone")).Status);
        File.Delete(zip);
        File.Delete(plain);
    }
}
