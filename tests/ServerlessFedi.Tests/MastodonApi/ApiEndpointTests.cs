using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Configuration;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Storage;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Infrastructure;
using static ServerlessFedi.MastodonApi.ApiResults;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// The client API pipeline (<see cref="ApiEndpoint"/>): authentication and parameter failures answer before the handler
/// runs, CORS is added to every answer, and service errors map to Mastodon's statuses in one place. None of these
/// requests reaches storage (no token is sent).
/// </summary>
[TestClass]
public sealed class ApiEndpointTests
{
    private static readonly TestServices Services = TestStorage.Services();

    /// <summary>The pipeline over <paramref name="services"/>' storage, with its own rate limiter (shared with <see cref="ApiEarlyReadTests"/>).</summary>
    internal static ApiEndpoint Endpoint(TestServices services) => new(
        new ApiAuth(services.Tokens, services.Accounts, new ApiRateLimiter(TimeProvider.System, new ClientAddress(new FediOptions { BaseUrl = "https://social.example.test" }))),
        new AuditTrail(new AuditStore(services.Tables, new SnowflakeIds(TimeProvider.System), services.Options, TimeProvider.System), NullLogger<AuditTrail>.Instance));

    private static ApiEndpoint Endpoint() => Endpoint(Services);

    [TestMethod]
    public async Task The_handlers_answer_gets_cors_from_the_pipeline()
    {
        var result = await Endpoint().RunAsync(new DefaultHttpContext().Request, ApiAccess.Open, _ => Done(), CancellationToken.None);

        Assert.AreEqual(200, result.Status);
        Assert.AreEqual("{}", result.BodyText);
        Assert.AreEqual("*", result.Headers["Access-Control-Allow-Origin"]);
        StringAssert.Contains(result.Headers["Access-Control-Expose-Headers"], "Link");
    }

    [TestMethod]
    public async Task A_missing_token_is_refused_before_the_handler_runs()
    {
        var ran = false;
        var result = await Endpoint().RunAsync(new DefaultHttpContext().Request, ApiAccess.Token("read:statuses"), _ =>
        {
            ran = true;
            return Done();
        }, CancellationToken.None);

        Assert.IsFalse(ran);
        Assert.AreEqual(401, result.Status);
        Assert.AreEqual("{\"error\":\"The access token is invalid\"}", result.BodyText);
        Assert.AreEqual("Bearer error=\"invalid_token\"", result.Headers["WWW-Authenticate"]);
        Assert.AreEqual("*", result.Headers["Access-Control-Allow-Origin"]);
    }

    [TestMethod]
    public async Task An_unparsable_body_is_a_400_before_the_handler_runs()
    {
        var request = new DefaultHttpContext().Request;
        request.ContentType = "application/json";
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{not json"));
        var ran = false;

        var result = await Endpoint().RunAsync(request, ApiAccess.Open.WithParameters(), _ =>
        {
            ran = true;
            return Done();
        }, CancellationToken.None);

        Assert.IsFalse(ran);
        Assert.AreEqual(400, result.Status);
        Assert.AreEqual("{\"error\":\"The JSON body could not be parsed\"}", result.BodyText);
        Assert.AreEqual("*", result.Headers["Access-Control-Allow-Origin"]);
    }

    [TestMethod]
    public async Task Parameters_come_from_the_query_and_the_body_only_when_asked()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?limit=5&flag=1");
        request.ContentType = "application/json";
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"title\":\"x\"}"));
        ApiRequest? seen = null;

        await Endpoint().RunAsync(request, ApiAccess.Open, r =>
        {
            seen = r;
            return Done();
        }, CancellationToken.None);

        Assert.AreEqual("5", seen!.Parameters.Get("limit"));
        Assert.IsNull(seen.Parameters.Get("title"), "the body is not read unless the endpoint asks");
        Assert.IsTrue(seen.Flag("flag"));
        Assert.AreEqual(5, seen.Limit(20, 40));
        Assert.AreEqual(5, seen.Page().Limit);

        await Endpoint().RunAsync(request, ApiAccess.Open.WithParameters(), r =>
        {
            seen = r;
            return Done();
        }, CancellationToken.None);
        Assert.AreEqual("x", seen!.Parameters.Get("title"));
    }

    [TestMethod]
    public void Anonymous_calls_are_counted_by_address_and_carry_the_rate_limit_headers()
    {
        var context = new DefaultHttpContext();
        var result = Endpoint().Run(context.Request, ApiAccess.Anonymous, _ => Ok<IReadOnlyList<string>>([], ServerlessFedi.MastodonApi.Entities.MastodonJsonContext.Wire.IReadOnlyListString));

        Assert.AreEqual("[]", result.BodyText);
        Assert.AreEqual("1500", context.Response.Headers["X-RateLimit-Limit"].ToString());
        Assert.AreEqual("*", result.Headers["Access-Control-Allow-Origin"]);
    }

    [TestMethod]
    public void Only_endpoints_without_a_token_run_synchronously() =>
        Assert.ThrowsExactly<ArgumentException>(() => Endpoint().Run(new DefaultHttpContext().Request, ApiAccess.OptionalToken("read"), _ => Done()));

    [TestMethod]
    public void Service_errors_map_to_mastodons_statuses_and_error_shape()
    {
        Assert.AreEqual(404, StatusOf(ServiceError.NotFound));
        Assert.AreEqual(422, StatusOf(ServiceError.Invalid));
        Assert.AreEqual(403, StatusOf(ServiceError.Forbidden));
        Assert.AreEqual(503, StatusOf(ServiceError.Busy));
        Assert.HasCount(4, Enum.GetValues<ServiceError>(), "every value has its status above");

        WireResult invalid = Invalid("Title can't be blank");
        Assert.AreEqual(422, invalid.Status);
        Assert.AreEqual("{\"error\":\"Validation failed: Title can't be blank\"}", invalid.BodyText);
        Assert.AreEqual("{\"error\":\"Record not found\"}", NotFound().BodyText);
    }
}
