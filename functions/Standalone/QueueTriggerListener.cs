using System.Net;
using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// One queue trigger, processed with the host's semantics: batches of <c>batchSize</c>, the next batch received as soon as
/// no more than <c>newBatchThreshold</c> messages are still in flight (so up to <c>batchSize + newBatchThreshold</c> at
/// once, as the WebJobs queue listener); Base64 bodies (a body that is
/// not Base64 goes straight to <c>&lt;queue&gt;-poison</c>); on failure the message becomes visible again after
/// <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> failed attempts it moves to <c>&lt;queue&gt;-poison</c>;
/// success deletes it. While a message runs its lease is renewed every half lease, as the host does, so a long run is not
/// received a second time (and poisoned by its growing dequeue count); only a dead process's messages reappear.
/// Empty polls back off up to <c>maxPollingInterval</c>. A missing queue counts as empty.
/// </summary>
public sealed class QueueTriggerListener(
    FunctionDescriptor function,
    QueueClient queue,
    QueueClient poisonQueue,
    HostJsonSettings settings,
    FunctionInvoker invoker,
    TimeProvider time,
    ILogger logger,
    TimeSpan? lease = null,
    TriggerStartGate? startGate = null) : BackgroundService
{
    /// <summary>
    /// How long a received message stays invisible; renewed every half lease while it is processed, as the host does.
    /// After a crash the message reappears when this runs out; <c>Standalone__QueueLeaseSeconds</c> shortens it for tests.
    /// </summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _lease = lease ?? DefaultLease;

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    public string QueueName => queue.Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await (startGate?.WaitAsync(stoppingToken) ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await RunAsync(untilEmpty: false, stoppingToken);
    }

    /// <summary>
    /// Processes the queue as the host does (<c>newBatchThreshold</c>) until a receive finds it empty and nothing is in
    /// flight; returns how many messages were processed. Exposed for the benchmark, which drives the listeners itself.
    /// </summary>
    public Task<int> DrainAsync(CancellationToken cancellationToken) => RunAsync(untilEmpty: true, cancellationToken);

    private async Task<int> RunAsync(bool untilEmpty, CancellationToken stoppingToken)
    {
        var delay = MinPollingInterval;
        var inFlight = new List<Task>();
        var total = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            while (inFlight.Count > settings.QueueNewBatchThreshold)
            {
                await Task.WhenAny(inFlight);
                inFlight.RemoveAll(t => t.IsCompleted);
            }

            QueueMessage[] messages;
            try
            {
                messages = await ReceiveAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                logger.LogWarning(ex, "Polling queue {Queue} failed; retrying", queue.Name);
                messages = [];
            }

            inFlight.AddRange(messages.Select(m => ProcessLoggedAsync(m, stoppingToken)));
            inFlight.RemoveAll(t => t.IsCompleted);
            total += messages.Length;
            if (messages.Length > 0)
            {
                delay = MinPollingInterval;
                continue;
            }

            if (untilEmpty)
            {
                if (inFlight.Count == 0)
                {
                    break;
                }

                await Task.WhenAll(inFlight);
                inFlight.Clear();
                continue;
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.QueueMaxPollingInterval.Ticks));
        }

        await Task.WhenAll(inFlight);
        return total;
    }

    /// <summary>Receives one batch and processes it; returns how many messages were received. Exposed for tests.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = await ReceiveAsync(cancellationToken);
        await Task.WhenAll(messages.Select(m => ProcessAsync(m, cancellationToken)));
        return messages.Length;
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.ReceiveMessagesAsync(settings.QueueBatchSize, _lease, cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>A message of the listener's loop: a failed delete or poison move is logged, and the message reappears after its lease.</summary>
    private async Task ProcessLoggedAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
        {
            logger.LogWarning(ex, "Completing message {MessageId} on {Queue} failed; it reappears after its lease", message.MessageId, queue.Name);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        string body;
        if (settings.QueueMessageEncoding == "base64")
        {
            try
            {
                body = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
            }
            catch (FormatException)
            {
                logger.LogError("Message {MessageId} on {Queue} is not Base64; moved to {Poison}", message.MessageId, queue.Name, poisonQueue.Name);
                await MoveToPoisonAsync(message, cancellationToken);
                return;
            }
        }
        else
        {
            body = message.MessageText;
        }

        if (message.DequeueCount > settings.QueueMaxDequeueCount)
        {
            await MoveToPoisonAsync(message, cancellationToken);
            return;
        }

        Exception? failure = null;
        string popReceipt;
        using var renewal = new LeaseRenewal(queue, message, _lease, time, logger);
        try
        {
            await invoker.InvokeQueueAsync(function, body, new QueueMessageContext(message.MessageId, message.DequeueCount, message.InsertedOn), cancellationToken);
        }
#pragma warning disable CA1031 // A failed invocation is the host's business: retry or poison, never crash the listener.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        finally
        {
            popReceipt = await renewal.StopAsync();
        }

        if (failure is null)
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        }
        else if (message.DequeueCount >= settings.QueueMaxDequeueCount)
        {
            logger.LogError(failure, "{Function} failed on message {MessageId} for the {Count}th time; moved to {Poison}", function.Name, message.MessageId, message.DequeueCount, poisonQueue.Name);
            await MoveToPoisonAsync(message, popReceipt, cancellationToken);
        }
        else
        {
            logger.LogWarning(failure, "{Function} failed on message {MessageId} (attempt {Count}); visible again in {Delay}", function.Name, message.MessageId, message.DequeueCount, settings.QueueVisibilityTimeout);
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: settings.QueueVisibilityTimeout, cancellationToken: cancellationToken);
        }
    }

    private Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken) => MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poisonQueue.SendMessageAsync(message.MessageText, cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
    }

    /// <summary>
    /// Keeps a running message invisible: every half lease it sets the visibility to a full lease again and keeps the new
    /// pop receipt, which the message's delete or update must use. Stopping waits for an update already sent, so the
    /// receipt it returns is the current one. A failed renewal is logged; the message may then reappear (at least once).
    /// </summary>
    private sealed class LeaseRenewal : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private string _popReceipt;

        public LeaseRenewal(QueueClient queue, QueueMessage message, TimeSpan lease, TimeProvider time, ILogger logger)
        {
            _popReceipt = message.PopReceipt;
            _loop = RenewAsync(queue, message, lease, time, logger);
        }

        public async Task<string> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return _popReceipt;
        }

        public void Dispose() => _stop.Dispose();

        private async Task RenewAsync(QueueClient queue, QueueMessage message, TimeSpan lease, TimeProvider time, ILogger logger)
        {
            while (true)
            {
                try
                {
                    await Task.Delay(lease / 2, time, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    var renewed = await queue.UpdateMessageAsync(message.MessageId, _popReceipt, visibilityTimeout: lease);
                    _popReceipt = renewed.Value.PopReceipt;
                }
                catch (Exception ex) when (ex is RequestFailedException or HttpRequestException)
                {
                    logger.LogWarning(ex, "Renewing the lease of message {MessageId} on {Queue} failed; it may be received again", message.MessageId, queue.Name);
                    return;
                }
            }
        }
    }
}
