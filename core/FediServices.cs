using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.NodeInfo;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Web;
using ServerlessFedi.WebFinger;

namespace ServerlessFedi;

/// <summary>Registers the product's services; shared by the Functions worker, the standalone host, the admin CLI and tests.</summary>
public static class FediServices
{
    /// <summary>Registers everything; validates <c>Fedi</c> options and storage settings eagerly but makes no network call.</summary>
    public static IServiceCollection AddFedi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ReadOptions(configuration);
        var errors = FediOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new FediConfigurationException(errors);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(new InstanceUrls(options));
        services.AddSingleton(_ => StorageAccount.FromConfiguration(configuration));
        services.AddSingleton<FediTables>();
        services.AddSingleton<SnowflakeIds>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AccessTokenStore>();
        services.AddSingleton<ActorMapper>();
        services.AddSingleton<ActorHandler>();
        services.AddSingleton<WebFingerHandler>();
        services.AddSingleton<HostMetaHandler>();
        services.AddSingleton<NodeInfoHandler>();
        services.AddSingleton<WebPages>();
        return services;
    }

    public static FediOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new FediOptions();
        configuration.GetSection(FediOptions.SectionName).Bind(options);
        return options;
    }
}
