using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Http;
using ServerlessFedi.Web;

namespace ServerlessFedi.Functions.Http;

/// <summary>The default avatar and header that API entities point at when an account has none (never null, as apps expect).</summary>
public sealed class StaticFunctions
{
    [Function("DefaultAvatar")]
    public IActionResult DefaultAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "avatars/original/missing.png")] HttpRequest req) =>
        Png(DefaultImages.Avatar);

    [Function("DefaultHeader")]
    public IActionResult DefaultHeader(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "headers/original/missing.png")] HttpRequest req) =>
        Png(DefaultImages.Header);

    private static WireResult Png(byte[] bytes) =>
        WireResult.Bytes(StatusCodes.Status200OK, bytes, "image/png").WithHeader("Cache-Control", "max-age=604800, public").WithCors();
}
