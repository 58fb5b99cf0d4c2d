using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>The Functions host's routing rules, reproduced by <see cref="HttpRouteTable"/>.</summary>
[TestClass]
public sealed class HttpRouteTableTests
{
    private static FunctionDescriptor Http(string name, string? route, string authLevel = "Anonymous", params string[] methods) => new()
    {
        Name = name,
        EntryPoint = $"Test.Functions.{name}",
        Bindings =
        [
            new BindingDescriptor { Name = "req", Type = "httpTrigger", Direction = "In", Route = route, AuthLevel = authLevel, Methods = methods.Length == 0 ? ["get"] : methods },
            new BindingDescriptor { Name = "$return", Type = "http", Direction = "Out" },
        ],
    };

    [TestMethod]
    public void Routes_are_tried_in_function_name_order_and_the_first_match_wins()
    {
        // "AccountsGet" sorts before "VerifyCredentials", so its unconstrained {id} swallows the literal path, exactly as on Azure.
        var table = FunctionsApp.Routes([Http("VerifyCredentials", "api/v1/accounts/verify_credentials"), Http("AccountsGet", "api/v1/accounts/{id}")], "");

        Assert.AreEqual("AccountsGet", table.Match("GET", "/api/v1/accounts/verify_credentials")!.Function.Name);
    }

    [TestMethod]
    public void Name_order_ignores_case()
    {
        var table = FunctionsApp.Routes([Http("beta", "x/{id}"), Http("Alpha", "x/{name}")], "");

        Assert.AreEqual("Alpha", table.Match("GET", "/x/1")!.Function.Name);
    }

    [TestMethod]
    public void A_constraint_lets_a_later_function_have_its_literal_route()
    {
        var table = FunctionsApp.Routes([Http("VerifyCredentials", "api/v1/accounts/verify_credentials"), Http("AccountsGet", "api/v1/accounts/{id:regex(^\\d+$)}")], "");

        Assert.AreEqual("VerifyCredentials", table.Match("GET", "/api/v1/accounts/verify_credentials")!.Function.Name);
        var match = table.Match("GET", "/api/v1/accounts/123")!;
        Assert.AreEqual("AccountsGet", match.Function.Name);
        Assert.AreEqual("123", match.Values["id"]);
    }

    [TestMethod]
    public void A_method_mismatch_falls_through_to_the_next_route()
    {
        var table = FunctionsApp.Routes([Http("AGet", "thing", "Anonymous", "get"), Http("BPost", "thing", "Anonymous", "post")], "");

        Assert.AreEqual("BPost", table.Match("POST", "/thing")!.Function.Name);
        Assert.AreEqual("AGet", table.Match("get", "/thing")!.Function.Name);
        Assert.IsNull(table.Match("DELETE", "/thing"));
    }

    [TestMethod]
    public void The_route_prefix_from_host_json_is_applied()
    {
        var table = FunctionsApp.Routes([Http("Ping", "ping")], "api");

        Assert.IsNull(table.Match("GET", "/ping"));
        Assert.AreEqual("Ping", table.Match("GET", "/api/ping")!.Function.Name);
    }

    [TestMethod]
    public void A_function_without_route_is_served_at_its_name()
    {
        var table = FunctionsApp.Routes([Http("Ping", null)], "");

        Assert.AreEqual("Ping", table.Match("GET", "/ping")!.Function.Name);
    }

    [TestMethod]
    [DataRow("admin/accounts")]
    [DataRow("administration")]
    [DataRow("Runtime/status")]
    public void Routes_the_host_reserves_are_refused_at_start_up(string route)
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => FunctionsApp.Routes([Http("Bad", route)], ""));

        StringAssert.Contains(ex.Message, "'admin' or 'runtime'");
    }

    [TestMethod]
    [DataRow("Function")]
    [DataRow("Admin")]
    [DataRow("System")]
    public void Http_functions_that_are_not_anonymous_are_refused_at_start_up(string level)
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => FunctionsApp.Routes([Http("Keyed", "keyed", level)], ""));

        StringAssert.Contains(ex.Message, "Anonymous");
    }

    [TestMethod]
    public void Literal_segments_match_case_insensitively()
    {
        var table = FunctionsApp.Routes([Http("WebFinger", ".well-known/webfinger")], "");

        Assert.AreEqual("WebFinger", table.Match("GET", "/.Well-Known/WebFinger")!.Function.Name);
    }

    [TestMethod]
    [DataRow("/api/v1/accounts/lookup", "Alpha")]
    [DataRow("/API/V1/Accounts/7/", "Alpha")]
    [DataRow("api/v1/accounts/7", "Alpha")]
    [DataRow("/api/v1/account", "Delta")]
    [DataRow("/alice/inbox", "Beta")]
    [DataRow("/api/v1/accountsx/7", null)]
    [DataRow("/api/v1", null)]
    [DataRow("/", null)]
    public void Leading_literal_segments_decide_as_the_matcher_does(string path, string? function)
    {
        // Alpha's parameter shadows Gamma's literal (name order); Beta starts with a parameter; Delta's last literal is a prefix of Alpha's segment.
        var table = FunctionsApp.Routes(
            [Http("Gamma", "API/V1/accounts/lookup"), Http("Beta", "{user}/inbox"), Http("Alpha", "api/v1/accounts/{id}"), Http("Delta", "api/v1/account")],
            "");

        Assert.AreEqual(function, table.Match("GET", path)?.Function.Name);
    }

    [TestMethod]
    public void The_repository_host_json_sets_an_empty_route_prefix()
    {
        Assert.AreEqual("", FunctionsApp.HostJson.RoutePrefix);
    }
}
