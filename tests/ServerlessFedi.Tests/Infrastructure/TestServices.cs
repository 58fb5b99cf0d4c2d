using Microsoft.Extensions.Configuration;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Infrastructure;

public sealed record TestServices(
    string Prefix,
    IConfiguration Configuration,
    FediOptions Options,
    InstanceUrls Urls,
    StorageAccount Account,
    FediTables Tables,
    TimeProvider Time)
{
    public AccountStore Accounts { get; } = new(Tables, new SnowflakeIds(Time), Time);

    public AccountListingStore AccountListings { get; } = new(Tables, Time);

    public InstanceActorStore InstanceActor { get; } = new(Tables, Time);

    public AccessTokenStore Tokens { get; } = new(Tables, Time);
}
