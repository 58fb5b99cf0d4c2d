using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>Codes expire after ten minutes and are consumed by their first redemption (store level, fake clock).</summary>
[TestClass]
public sealed class AuthorizationCodeStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task A_code_redeems_once_with_everything_it_was_bound_to()
    {
        var time = new FakeTimeProvider(Start);
        var store = new AuthorizationCodeStore(TestStorage.Services(time).Tables, time);
        var code = await store.IssueAsync("client", "https://app.example/cb", ["read"], "111111111111111111", "challenge", "S256");

        var grant = await store.RedeemAsync(code);

        Assert.IsNotNull(grant);
        Assert.AreEqual("client", grant.ClientId);
        Assert.AreEqual("https://app.example/cb", grant.RedirectUri);
        Assert.AreEqual("111111111111111111", grant.AccountId);
        Assert.AreEqual("S256", grant.CodeChallengeMethod);
        Assert.AreEqual(Start.AddMinutes(10), grant.ExpiresAt);
        Assert.IsNull(await store.RedeemAsync(code));
    }

    [TestMethod]
    public async Task A_code_expires_after_ten_minutes()
    {
        var time = new FakeTimeProvider(Start);
        var store = new AuthorizationCodeStore(TestStorage.Services(time).Tables, time);
        var fresh = await store.IssueAsync("client", "https://app.example/cb", ["read"], "111111111111111111", null, null);
        var stale = await store.IssueAsync("client", "https://app.example/cb", ["read"], "111111111111111111", null, null);

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.IsNotNull(await store.RedeemAsync(fresh));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsNull(await store.RedeemAsync(stale));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("short")]
    [DataRow("has/slash/and#hash?and-is-long-enough-to-be-a-code-xxxxx")]
    public async Task Malformed_codes_redeem_nothing(string? code)
    {
        var store = new AuthorizationCodeStore(TestStorage.Services().Tables, TimeProvider.System);

        Assert.IsNull(await store.RedeemAsync(code));
    }

    [TestMethod]
    public void PKCE_S256_and_plain_follow_RFC_7636()
    {
        // RFC 7636 Appendix B.
        const string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        var s256 = new AuthorizationCode("c", "r", ["read"], "1", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", Start);
        var plain = s256 with { CodeChallenge = verifier, CodeChallengeMethod = "plain" };

        Assert.IsNull(Pkce.Check(s256, verifier));
        Assert.IsNotNull(Pkce.Check(s256, verifier[..^1] + "l"));
        Assert.IsNull(Pkce.Check(plain, verifier));
        Assert.IsNotNull(Pkce.Check(plain, null));
        Assert.IsNotNull(Pkce.Check(s256, "too-short"));
    }
}
