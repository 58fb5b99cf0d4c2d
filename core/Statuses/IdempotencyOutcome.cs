using ServerlessFedi.Errors;

namespace ServerlessFedi.Statuses;

/// <summary>
/// What <see cref="StatusIdempotency.BeginAsync"/> decided: post under <see cref="Claim"/> (null also when the request
/// carried no key), or answer the <see cref="Earlier"/> status, or refuse (<see cref="Error"/> with its message).
/// </summary>
public sealed record IdempotencyOutcome(IdempotencyClaim? Claim, Status? Earlier, ServiceError? Error, string? Message)
{
    public static IdempotencyOutcome Post(IdempotencyClaim? claim) => new(claim, null, null, null);

    public bool Posts => Earlier is null && Error is null;
}
