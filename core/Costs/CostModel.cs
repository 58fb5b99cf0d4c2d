namespace ServerlessFedi.Costs;

/// <summary>
/// The monthly bill of a workload, meter by meter, from the per-operation storage transactions measured by the benchmark
/// (docs/PERFORMANCE.md) and the assumptions below, each stated where it is used. Pure: no storage, no clock.
/// A month is 30 days. Deliberately pessimistic where it cannot know: followers spread evenly over their servers (real
/// followings concentrate on big servers, which share one inbox), and executions billed as if alone when they are sparse.
/// </summary>
public static class CostModel
{
    /// <summary>The stored original of a 12-megapixel photo after the image pipeline, as measured (docs/DEPLOY.md, "What it costs").</summary>
    public const double DefaultMediaMb = 0.46;

    public const double MonthSeconds = 30 * 24 * 3600;

    /// <summary>Per post, likes, boosts and replies from 0.5 % of the account's followers.</summary>
    public const double InteractionsPerFollowerPerPost = 0.005;

    /// <summary>Follows and unfollows a month: 10 % of the followers.</summary>
    public const double FollowChurn = 0.10;

    /// <summary>Activities unrelated to our posts that every known server sends a month (deletes, profile updates).</summary>
    public const double UnrelatedActivitiesPerServer = 28;

    /// <summary>Deliveries that fail once and are retried twice more (5 % × 2 attempts).</summary>
    public const double RetriedAttemptsPerDelivery = 0.10;

    /// <summary>
    /// Deliveries in flight at once: a fan-out page makes its own with up to 64 per core (<c>FanoutProcessor.InFlightPerCore</c>,
    /// counted here for one core), and the host runs retried ones 64 at a time (batchSize 32 + newBatchThreshold 32).
    /// </summary>
    public const double DeliveriesInFlight = 64;

    /// <summary>The slowest remote server among the deliveries in flight keeps them 1.5 s.</summary>
    public const double DeliveryBatchSeconds = 1.5;

    /// <summary>Flex Consumption bills an active instance at least 1 s; a sparse execution is billed that alone.</summary>
    public const double MinimumActiveSeconds = 1;

    public static CostEstimate Estimate(CostWorkload workload, CostPrices prices)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(prices);
        var w = workload;
        var posts = w.Accounts * w.PostsPerDay * 30;
        var followersPerAccount = w.Accounts == 0 ? 0 : w.Followers / (double)w.Accounts;

        // Expected distinct servers among an account's followers when they fall evenly on the servers: one delivery each.
        var inboxesPerPost = w.Servers == 0 ? 0 : w.Servers * (1 - Math.Pow(1 - (1.0 / w.Servers), followersPerAccount));
        var follows = FollowChurn * w.Followers;
        var accepts = follows / 2;
        var deliveries = (posts * inboxesPerPost) + accepts;
        var retries = deliveries * RetriedAttemptsPerDelivery;
        var interactions = posts * InteractionsPerFollowerPerPost * followersPerAccount;
        var unrelated = UnrelatedActivitiesPerServer * w.Servers;
        var inbound = interactions + follows + unrelated;

        // Remote servers refresh each follower relation's actor twice a month and fetch ~17 objects per post (threads, boosts).
        var federationGets = (2.0 * w.Followers) + (17 * posts);
        var mediaPosts = posts * w.MediaShare;

        // Every server a post reaches downloads its attachment once (Mastodon stores a copy).
        var mediaDownloads = mediaPosts * inboxesPerPost;
        var requests = w.Requests ?? (4_000L * w.Accounts);
        var appMedia = w.MediaDelivery == MediaDelivery.App ? mediaDownloads : 0;
        var http = requests + inbound + federationGets + appMedia;
        var fanoutPages = posts * Math.Max(1, Math.Ceiling(followersPerAccount / 1000));
        var timers = 2 * 24 * 30;
        // A post's deliveries and a Follow's Accept are made by the fan-out page or the inbox function that already runs;
        // only a retried attempt is a queue message and an execution of its own.
        var queue = inbound + fanoutPages + retries;

        var gb = w.MemoryMb / 1024.0;
        var httpSeconds = Math.Min(http * MinimumActiveSeconds, MonthSeconds);
        var deliverSeconds = (deliveries + retries) / DeliveriesInFlight * DeliveryBatchSeconds;
        var inboxSeconds = Math.Min(inbound * MinimumActiveSeconds, MonthSeconds);
        var otherSeconds = (fanoutPages + timers) * MinimumActiveSeconds;
        var onDemandGbs = (deliverSeconds + inboxSeconds + otherSeconds) * gb;

        var lines = new List<CostLine>();
        void Add(string meter, double quantity, string unit, double unitPrice, double cost, string basis) =>
            lines.Add(new CostLine(meter, quantity, unit, unitPrice, cost, basis));

        if (w.AlwaysReady > 0)
        {
            var baseline = w.AlwaysReady * gb * MonthSeconds;
            Add("Functions always-ready baseline", baseline, "GB-s", prices.AlwaysReadyBaselineGbSecond, baseline * prices.AlwaysReadyBaselineGbSecond, $"{w.AlwaysReady} × {w.MemoryMb} MB around the clock");
            Add("Functions always-ready execution time", httpSeconds * gb, "GB-s", prices.AlwaysReadyGbSecond, httpSeconds * gb * prices.AlwaysReadyGbSecond, "HTTP: 1 s per request while sparse, at most the whole month");
        }
        else
        {
            onDemandGbs += httpSeconds * gb;
        }

        var billedGbs = Math.Max(0, onDemandGbs - prices.FreeGbSeconds);
        Add("Functions on-demand execution time", billedGbs, "GB-s", prices.OnDemandGbSecond, billedGbs * prices.OnDemandGbSecond,
            $"deliveries {DeliveriesInFlight} in flight × {DeliveryBatchSeconds} s, inbox and timers; {prices.FreeGbSeconds:N0} GB-s free");
        var onDemandExecutions = queue + timers + (w.AlwaysReady > 0 ? 0 : http);
        var billedExecutions = Math.Max(0, onDemandExecutions - prices.FreeExecutions) + (w.AlwaysReady > 0 ? http : 0);
        Add("Functions executions", billedExecutions, "executions", prices.ExecutionsPerMillion / 1e6, billedExecutions * prices.ExecutionsPerMillion / 1e6,
            $"{http:N0} HTTP + {queue + timers:N0} queue and timer; {prices.FreeExecutions:N0} free on demand");

        // Storage transactions per operation (docs/PERFORMANCE.md): a delivery made by its fan-out page 0.007 with the page
        // (measured at 100,000 followers on 6,000 inboxes: 0.004 table, the page's queue operations counted below); a
        // retried attempt 5.07 (2 table reads afresh; 3.07 queue: the put that schedules it, its share of a receive, the
        // delete); inbound Like or Announce 15 (12 table, 3 queue); inbound Follow 20 with its Accept (16 table, 4 queue); an unrelated activity 6 (3 table, 3 queue); the
        // sender host's health delete happens only while it was failing; an API request 3 table reads;
        // an ActivityPub GET 2; a post 7 table writes and 3 queue operations, its image 4 table + 2 blob writes; a fan-out
        // page 1 query and 3 queue operations; queue polling by the host and the scale controller about 1.1 million
        // operations and host lease blobs about 500,000 a month (estimates).
        var tables = (0.004 * deliveries) + (2 * retries) + (12 * interactions) + (16 * follows) + (3 * unrelated) + (3.0 * requests)
            + (2 * federationGets) + (7 * posts) + (4 * mediaPosts) + fanoutPages;
        var queues = (3.07 * retries) + (3 * interactions) + (4 * follows) + (3 * unrelated) + (3 * posts)
            + (3 * fanoutPages) + 1_100_000;
        var blobReads = (w.MediaDelivery == MediaDelivery.FrontDoor ? mediaDownloads * 0.05 : mediaDownloads) + 500_000;
        var blobWrites = 2 * mediaPosts;
        Add("Table transactions", tables, "transactions", prices.TableTransactionsPer10K / 1e4, tables * prices.TableTransactionsPer10K / 1e4, "per-operation counts of docs/PERFORMANCE.md");
        Add("Queue operations", queues, "operations", prices.QueueOperationsPer10K / 1e4, queues * prices.QueueOperationsPer10K / 1e4, "deliveries, inbox, fan-out, posts; 1.1 M polling");
        Add("Blob reads and other operations", blobReads, "operations", prices.BlobReadsPer10K / 1e4, blobReads * prices.BlobReadsPer10K / 1e4,
            w.MediaDelivery == MediaDelivery.FrontDoor ? "5 % of downloads miss the Front Door cache; 500,000 host leases" : "one per media download; 500,000 host leases");
        Add("Blob writes", blobWrites, "operations", prices.BlobWritesPer10K / 1e4, blobWrites * prices.BlobWritesPer10K / 1e4, "original and preview per image");
        var storedGb = 12 * mediaPosts * (w.MediaMb + 0.05) / 1024;
        Add("Blob capacity after a year", storedGb, "GB-month", prices.BlobGbMonth, storedGb * prices.BlobGbMonth, "12 months of images, original and preview");

        // Bytes on the wire: the attachment per reaching server, 3 KB per delivery, 20 KB per page or API answer, 5 KB per GET.
        var mediaGb = mediaDownloads * w.MediaMb / 1024;
        var deliveryGb = (deliveries + retries) * 3 / 1024.0 / 1024;
        var appGb = ((requests * 20.0) + (federationGets * 5.0)) / 1024 / 1024;
        var frontDoor = w.CustomDomain || w.MediaDelivery == MediaDelivery.FrontDoor;
        var mediaThroughFrontDoor = w.MediaDelivery == MediaDelivery.FrontDoor || (w.MediaDelivery == MediaDelivery.App && w.CustomDomain);
        var frontDoorGb = (w.CustomDomain ? appGb : 0) + (mediaThroughFrontDoor ? mediaGb : 0);
        var internetGb = deliveryGb + (w.CustomDomain ? 0 : appGb) + (mediaThroughFrontDoor ? 0 : mediaGb);
        Add("Internet egress", internetGb, "GB", internetGb <= 0 ? 0 : prices.Egress(internetGb) / internetGb, prices.Egress(internetGb),
            $"deliveries{(w.CustomDomain ? "" : ", pages and API")}{(mediaThroughFrontDoor ? "" : $", media {mediaGb:N0} GB")}; {prices.FreeEgressGb:N0} GB free, then by volume");
        if (frontDoor)
        {
            var frontDoorRequests = (w.CustomDomain ? requests + inbound + federationGets : 0) + (mediaThroughFrontDoor ? mediaDownloads : 0);
            Add("Front Door base fee", 1, "month", prices.FrontDoorBaseMonth, prices.FrontDoorBaseMonth, "Standard profile");
            Add("Front Door requests", frontDoorRequests, "requests", prices.FrontDoorRequestsPer10K / 1e4, frontDoorRequests * prices.FrontDoorRequestsPer10K / 1e4, "every request through the edge");
            Add("Front Door egress", frontDoorGb, "GB", prices.FrontDoorEgressPerGb, frontDoorGb * prices.FrontDoorEgressPerGb,
                mediaThroughFrontDoor ? $"media {mediaGb:N0} GB{(w.CustomDomain ? ", pages, API and GETs" : "")}" : "pages, API and GETs");
        }

        // Telemetry: with host.json's Function logs at Warning only failures (a retried delivery's warning, 1 KB) and
        // ~0.3 GB of host logs; at Information also the host's two traces and one of ours per execution, 0.5 KB each.
        var executions = http + queue + timers;
        var telemetryGb = 0.3 + (retries * 1.0 / 1024 / 1024) + (w.VerboseTelemetry ? executions * 1.5 / 1024 / 1024 : 0);
        var billedLogGb = Math.Max(0, telemetryGb - prices.FreeLogGb);
        Add("Log Analytics ingestion", billedLogGb, "GB", prices.LogIngestionPerGb, billedLogGb * prices.LogIngestionPerGb,
            $"{telemetryGb:N1} GB, {(w.VerboseTelemetry ? "every execution logged" : "failures only")}; {prices.FreeLogGb:N0} GB free");

        IReadOnlyList<(string, double)> derived =
        [
            ("posts a month", posts),
            ("inboxes a post reaches", inboxesPerPost),
            ("deliveries (with Accepts)", deliveries),
            ("media downloads by other servers", mediaDownloads),
            ("inbound activities", inbound),
            ("HTTP executions", http),
            ("queue and timer executions", queue + timers),
        ];
        return new CostEstimate(lines, derived, prices);
    }
}
