using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The typed Account entity as a JSON node, for <see cref="StatusActionsHandler"/>, the one handler still composing
/// JSON by hand; it goes when that handler moves onto <see cref="ApiEndpoint"/> (issue 12). New code uses
/// <see cref="AccountMapper"/>.
/// </summary>
public sealed class MastodonMapper(AccountMapper accounts)
{
    public JsonObject ToAccount(LocalAccount a) => JsonSerializer.SerializeToNode(accounts.ToAccount(a), MastodonJsonContext.Wire.Account)!.AsObject();

    public JsonObject ToAccount(AccountRef a) => JsonSerializer.SerializeToNode(accounts.ToAccount(a), MastodonJsonContext.Wire.Account)!.AsObject();
}
