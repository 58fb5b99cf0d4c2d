namespace ServerlessFedi.Configuration;

/// <summary>Thrown at start-up when settings are invalid; the message lists every problem.</summary>
public sealed class FediConfigurationException : Exception
{
    public FediConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, (errors ?? []).Select(e => "  - " + e)))
    {
        Errors = errors ?? [];
    }

    public FediConfigurationException()
        : this([])
    {
    }

    public FediConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public FediConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
