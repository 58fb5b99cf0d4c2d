using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Polls;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Ending polls and sending their counts.</summary>
public sealed class PollTimerFunctions(PollClosing closing)
{
    /// <summary>Every minute at second 30 (UTC): closes the polls that ended and sends the counts that are due.</summary>
    [Function("PollsClose")]
    public Task Run([TimerTrigger("30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        closing.RunAsync(cancellationToken);
}
