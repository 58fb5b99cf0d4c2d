using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// Drives the OAuth flow as a browser and an app would, over real HTTP: no cookie jar (cookies are sent explicitly),
/// no automatic redirects, the login form parsed with AngleSharp.
/// </summary>
public sealed class OAuthClient(TestInstance instance) : IDisposable
{
    public const string Password = "Correct-Horse-42-battery";
    public const string Callback = "https://app.example/callback";

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(instance.BaseUrl) };

    public void Dispose() => Http.Dispose();

    public async Task<RegisteredApp> RegisterAsync(string scopes = "read write", params string[] redirectUris)
    {
        var uris = redirectUris.Length == 0 ? [Callback] : redirectUris;
        var (status, body) = await SendJsonAsync(HttpMethod.Post, "/api/v1/apps", new { client_name = "Agency App", redirect_uris = uris, scopes, website = "https://app.example/" });
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return new RegisteredApp(body.GetProperty("client_id").GetString()!, body.GetProperty("client_secret").GetString()!, uris[0], body);
    }

    public static string AuthorizePath(RegisteredApp app, string? scope = "read write", string? state = "xyz", string? challenge = null, string? method = null, string? redirectUri = null)
    {
        var query = new List<string> { "response_type=code", "client_id=" + Uri.EscapeDataString(app.ClientId), "redirect_uri=" + Uri.EscapeDataString(redirectUri ?? app.RedirectUri) };
        Add(query, "scope", scope);
        Add(query, "state", state);
        Add(query, "code_challenge", challenge);
        Add(query, "code_challenge_method", method);
        return "/oauth/authorize?" + string.Join('&', query);
    }

    /// <summary>GET the authorize page: the form's fields and the CSRF cookie it set.</summary>
    public async Task<LoginForm> OpenAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, html);
        var document = new HtmlParser().ParseDocument(html);
        var form = document.QuerySelector("form") as IHtmlFormElement;
        Assert.IsNotNull(form, html);
        var fields = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Type == "hidden").ToDictionary(i => i.Name!, i => i.Value);
        var cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        return new LoginForm(new Uri(form.Action).AbsolutePath, fields, cookie);
    }

    public async Task<HttpResponseMessage> SubmitAsync(LoginForm form, string username, string password = Password, string? cookie = "", IDictionary<string, string>? overrides = null)
    {
        var fields = new Dictionary<string, string>(form.Fields) { ["username"] = username, ["password"] = password };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(fields) };
        cookie = cookie == "" ? form.Cookie : cookie;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>The whole browser part: open the form, log in, answer the code from the redirect.</summary>
    public async Task<string> AuthorizeAsync(RegisteredApp app, string username, string? challenge = null, string? method = null, string scope = "read write")
    {
        var form = await OpenAsync(AuthorizePath(app, scope, challenge: challenge, method: method));
        using var response = await SubmitAsync(form, username);
        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.StartsWith(app.RedirectUri + "?", location.OriginalString);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.AreEqual("xyz", query["state"]);
        return query["code"]!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, object? json, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await ReadAsync(await Http.SendAsync(request));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(string path, IDictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await ReadAsync(await Http.SendAsync(request));
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(RegisteredApp app, string code, string? verifier = null, string? redirectUri = null, string? scope = null) =>
        SendJsonAsync(HttpMethod.Post, "/oauth/token", new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = app.ClientId,
            ["client_secret"] = app.ClientSecret,
            ["redirect_uri"] = redirectUri ?? app.RedirectUri,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["scope"] = scope,
        }.Where(kv => kv.Value is not null).ToDictionary());

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = OAuthSecrets.NewToken() + "-._~";
        return (verifier, OAuthSecrets.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}

public sealed record RegisteredApp(string ClientId, string ClientSecret, string RedirectUri, JsonElement Body);

public sealed record LoginForm(string Action, IReadOnlyDictionary<string, string> Fields, string Cookie);
