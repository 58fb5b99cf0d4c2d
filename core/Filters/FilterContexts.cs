namespace ServerlessFedi.Filters;

/// <summary>The contexts a filter may apply to (docs: methods/filters): where the status is being shown.</summary>
public static class FilterContexts
{
    public const string Home = "home";
    public const string Notifications = "notifications";
    public const string Public = "public";
    public const string Thread = "thread";
    public const string Account = "account";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Home, Notifications, Public, Thread, Account };

    public static IReadOnlySet<string> Actions { get; } = new HashSet<string>(StringComparer.Ordinal) { "warn", "hide", "blur" };
}
