using System.Net;
using System.Text.RegularExpressions;
using ServerlessFedi.Accounts;

namespace ServerlessFedi.Configuration;

/// <summary>Start-up validation of <see cref="FediOptions"/>: pure, no network, every problem reported at once.</summary>
public static partial class FediOptionsValidator
{
    public static IReadOnlyList<string> Validate(FediOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            errors.Add("Fedi__BaseUrl is required: the public origin of the instance, e.g. https://social.example.gov.");
        }
        else if (!Uri.TryCreate(options.BaseUrl.TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"Fedi__BaseUrl '{options.BaseUrl}' is not an absolute http(s) URL.");
        }
        else
        {
            if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add($"Fedi__BaseUrl '{options.BaseUrl}' must be an origin only (scheme, host, optional port), without path, query or credentials.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !(options.AllowPrivateNetworks && IsLoopback(uri.Host)))
            {
                errors.Add($"Fedi__BaseUrl '{options.BaseUrl}' must use https; plain http is accepted only for a loopback host with Fedi__AllowPrivateNetworks=true.");
            }
            else if (options.AllowPrivateNetworks && !IsLoopback(uri.Host) && !IsReservedForTesting(uri.Host))
            {
                // A public instance that fetched http and 127.0.0.0/8 URLs would let anyone aim it at its own host.
                errors.Add($"Fedi__AllowPrivateNetworks=true is for local runs and tests only; it is refused with the public Fedi__BaseUrl '{options.BaseUrl}' (loopback or a .test, .example, .invalid or .localhost name only).");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.AccountDomain) && !DomainPattern().IsMatch(options.AccountDomain.Trim()))
        {
            errors.Add($"Fedi__AccountDomain '{options.AccountDomain}' is not a host name (e.g. example.gov).");
        }

        if (string.IsNullOrWhiteSpace(options.InstanceTitle) || options.InstanceTitle.Length > 100)
        {
            errors.Add("Fedi__InstanceTitle must be 1 to 100 characters.");
        }

        if (options.ContactEmail is { Length: > 0 } email && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"Fedi__ContactEmail '{email}' is not an e-mail address.");
        }

        if (options.ContactAccount is { Length: > 0 } contact && AccountRules.CheckUsername(contact) is { } reason)
        {
            errors.Add($"Fedi__ContactAccount '{contact}': {reason}.");
        }

        foreach (var lang in (options.Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!LanguagePattern().IsMatch(lang))
            {
                errors.Add($"Fedi__Languages entry '{lang}' is not an ISO 639-1 code (two or three lower-case letters).");
            }
        }

        if ((options.Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0)
        {
            errors.Add("Fedi__Languages must name at least one language, e.g. 'de' or 'de,en'.");
        }

        foreach (var (name, value) in new[] { ("Fedi__ImprintUrl", options.ImprintUrl), ("Fedi__PrivacyPolicyUrl", options.PrivacyPolicyUrl) })
        {
            if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp)))
            {
                errors.Add($"{name} '{value}' is not an absolute http(s) URL.");
            }
        }

        foreach (var (name, value) in new[] { ("Fedi__ImprintText", options.ImprintText), ("Fedi__PrivacyPolicyText", options.PrivacyPolicyText) })
        {
            if (value is { Length: > MaxPageTextLength })
            {
                errors.Add($"{name} is too long: at most {MaxPageTextLength} characters (link a longer text with the matching ...Url setting).");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.MediaBaseUrl))
        {
            if (!Uri.TryCreate(options.MediaBaseUrl.TrimEnd('/'), UriKind.Absolute, out var media)
                || (media.Scheme != Uri.UriSchemeHttps && media.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"Fedi__MediaBaseUrl '{options.MediaBaseUrl}' is not an absolute http(s) URL.");
            }
            else if (!string.IsNullOrEmpty(media.Query) || !string.IsNullOrEmpty(media.Fragment) || !string.IsNullOrEmpty(media.UserInfo))
            {
                errors.Add($"Fedi__MediaBaseUrl '{options.MediaBaseUrl}' must not carry a query, fragment or credentials.");
            }
            else if (media.Scheme == Uri.UriSchemeHttp && !(options.AllowPrivateNetworks && IsLoopback(media.Host)))
            {
                errors.Add($"Fedi__MediaBaseUrl '{options.MediaBaseUrl}' must use https; plain http is accepted only for a loopback host with Fedi__AllowPrivateNetworks=true.");
            }
        }

        if (options.ShowDomainBlocks is not ("disabled" or "users" or "all"))
        {
            errors.Add($"Fedi__ShowDomainBlocks '{options.ShowDomainBlocks}' must be disabled, users or all.");
        }

        var rules = InstanceRules.Parse(options.Rules);
        if (rules.Count > InstanceRules.MaxRules)
        {
            errors.Add($"Fedi__Rules has {rules.Count} rules; at most {InstanceRules.MaxRules}.");
        }

        foreach (var rule in rules.Where(r => r.Length > InstanceRules.MaxRuleLength))
        {
            errors.Add($"Fedi__Rules line '{rule[..40]}…' is longer than {InstanceRules.MaxRuleLength} characters.");
        }

        if (!string.IsNullOrWhiteSpace(options.FrontDoorId) && !Guid.TryParseExact(options.FrontDoorId.Trim(), "D", out _))
        {
            errors.Add($"Fedi__FrontDoorId '{options.FrontDoorId}' is not a Front Door id (the profile's frontDoorId, a GUID such as 8f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c).");
        }

        if (!string.IsNullOrWhiteSpace(options.TwoFactorKey) && ServerlessFedi.OAuth.TotpSecretProtector.ParseKey(options.TwoFactorKey) is null)
        {
            errors.Add("Fedi__TwoFactorKey must be base64 of exactly 32 random bytes (e.g. 'openssl rand -base64 32').");
        }

        if (options.RequireTwoFactor && string.IsNullOrWhiteSpace(options.TwoFactorKey))
        {
            errors.Add("Fedi__RequireTwoFactor=true needs Fedi__TwoFactorKey: without it no account can enrol, so nobody could log in.");
        }

        if (options.AuditRetentionDays is < 1 or > 3650)
        {
            errors.Add($"Fedi__AuditRetentionDays {options.AuditRetentionDays} must be between 1 and 3650 days.");
        }

        if (options.CardImageRetentionDays is < Cards.CardImages.MinRetentionDays or > 3650)
        {
            errors.Add($"Fedi__CardImageRetentionDays {options.CardImageRetentionDays} must be between {Cards.CardImages.MinRetentionDays} and 3650 days (longer than a card is reused, plus a day).");
        }

        if (!string.IsNullOrEmpty(options.StoragePrefix) && !PrefixPattern().IsMatch(options.StoragePrefix))
        {
            errors.Add($"Fedi__StoragePrefix '{options.StoragePrefix}' must be 1 to 12 lower-case letters and digits, starting with a letter (table and queue naming rules).");
        }

        return errors;
    }

    /// <summary>Upper bound of the imprint and privacy texts: app settings are limited in size, and a page is not a document store.</summary>
    public const int MaxPageTextLength = 20_000;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Top-level names reserved for testing and documentation (RFC 2606, RFC 6761): no public instance can have one.</summary>
    private static readonly string[] ReservedTopLevelNames = [".test", ".example", ".invalid", ".localhost"];

    private static bool IsReservedForTesting(string host) =>
        ReservedTopLevelNames.Any(tld => host.TrimEnd('.').EndsWith(tld, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[a-z][a-z0-9]{0,11}$")]
    private static partial Regex PrefixPattern();
}
