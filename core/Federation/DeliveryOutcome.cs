namespace ServerlessFedi.Federation;

/// <summary>How a delivery attempt ended.</summary>
public enum DeliveryOutcome
{
    Delivered,

    /// <summary>The server refused for good (4xx other than 401, 408, 429, e.g. 410 Gone): not retried.</summary>
    Refused,

    /// <summary>Worth trying again later (5xx, 401, 408, 429, timeouts, connection failures).</summary>
    Retry,
}
