namespace ServerlessFedi.Signatures;

/// <summary>
/// The validity window of a signature, as Mastodon's <c>SignedRequest#matches_time_window?</c> (app/lib/signed_request.rb) applies it:
/// the signature expires at <c>expires</c>, or 5 minutes after it was created, but never later than 12 hours after; a clock skew of
/// 1 hour is allowed on both ends.
/// </summary>
internal static class SignatureTimeWindow
{
    public static readonly TimeSpan ClockSkewMargin = TimeSpan.FromHours(1);
    public static readonly TimeSpan ExpirationWindowLimit = TimeSpan.FromHours(12);
    public static readonly TimeSpan DefaultExpirationWindow = TimeSpan.FromMinutes(5);

    /// <summary>Null when <paramref name="now"/> lies within the window, else the rejection reason.</summary>
    /// <param name="created">The signed creation time (<c>created</c>, <c>(created)</c> or the signed <c>Date</c> header).</param>
    /// <param name="signedExpires">The signed <c>expires</c> parameter, if any.</param>
    public static string? Check(DateTimeOffset created, DateTimeOffset? signedExpires, DateTimeOffset now)
    {
        if (signedExpires is { } expiresAt && now > expiresAt + ClockSkewMargin)
        {
            return "signature has expired";
        }

        if (created > now + ClockSkewMargin)
        {
            return "signed date is too far in the future";
        }

        var limit = created + ExpirationWindowLimit;
        var expires = signedExpires ?? created + DefaultExpirationWindow;
        if (expires > limit)
        {
            expires = limit;
        }

        return now > expires + ClockSkewMargin ? "signed date is too old" : null;
    }
}
