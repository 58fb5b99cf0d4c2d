namespace ServerlessFedi.Federation;

public static class DeliveryClassifier
{
    /// <summary>
    /// 2xx delivered; 401 is retried because some servers answer it while they cannot yet fetch our key; 408 and 429
    /// are transient by definition; every other 4xx is permanent; 3xx (we do not follow redirects on POST) and 5xx retry.
    /// </summary>
    public static DeliveryOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        401 or 408 or 429 => DeliveryOutcome.Retry,
        >= 400 and < 500 => DeliveryOutcome.Refused,
        _ => DeliveryOutcome.Retry,
    };
}
