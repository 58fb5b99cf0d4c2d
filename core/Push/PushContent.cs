using System.Globalization;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Filters;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Notifications;
using ServerlessFedi.OAuth;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Push;

/// <summary>
/// The payload of one notification's push (<see cref="PushNotificationPayload"/>): title by type, body the status's text
/// (its content warning when it has one) or else the sender's bio, cut to <see cref="BodyLength"/> characters.
/// Storage: 1 point read for the sender (+1 for the status).
/// </summary>
public sealed class PushContent(AccountDirectory directory, StatusStore statuses, AccountMapper accounts, TotpSecretProtector protector)
{
    /// <summary>Mastodon cuts the body to 140 characters.</summary>
    public const int BodyLength = 140;

    /// <summary>The payload without its <c>access_token</c> (<see cref="For"/> adds it), or null when the sender is gone.</summary>
    public async Task<PushNotificationPayload?> BuildAsync(LocalAccount recipient, Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(notification);
        if (await directory.GetByActorIdAsync(notification.FromActorId, cancellationToken) is not { } sender)
        {
            return null;
        }

        var status = notification.StatusId is { } statusId ? await statuses.GetAsync(statusId, cancellationToken) : null;
        var shown = accounts.ToAccount(sender);
        var name = string.IsNullOrWhiteSpace(shown.DisplayName) ? shown.Username : shown.DisplayName;
        var text = status is null
            ? FilterMatcher.PlainText(shown.Note)
            : status.SpoilerText.Length > 0 ? status.SpoilerText : FilterMatcher.PlainText(status.ContentHtml);
        return new PushNotificationPayload(
            "",
            recipient.DefaultLanguage ?? "en",
            long.Parse(notification.Id, CultureInfo.InvariantCulture),
            NotificationMapper.TypeName(notification.Type),
            shown.AvatarStatic,
            Title(notification.Type, name),
            Cut(text));
    }

    /// <summary>The title of a push, per notification type.</summary>
    public static string Title(NotificationType type, string name) => type switch
    {
        NotificationType.Mention => $"{name} mentioned you",
        NotificationType.Status => $"{name} just posted",
        NotificationType.Reblog => $"{name} boosted your post",
        NotificationType.Follow => $"{name} is now following you",
        NotificationType.FollowRequest => $"{name} requested to follow you",
        NotificationType.Favourite => $"{name} favourited your post",
        NotificationType.Poll => "A poll has ended",
        NotificationType.Update => $"{name} edited a post",
        NotificationType.Quote => $"{name} quoted your post",
        NotificationType.QuotedUpdate => $"{name} edited a post you quoted",
        _ => $"New notification from {name}",
    };

    /// <summary>The payload for one subscription: with the access token it was made with, when that could be kept sealed.</summary>
    public PushNotificationPayload For(PushNotificationPayload payload, PushSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(subscription);
        return payload with { AccessToken = AccessToken(subscription) };
    }

    private string AccessToken(PushSubscription subscription) =>
        subscription.SealedToken is { } sealedToken && protector.IsConfigured
            && protector.Unprotect(SealedTokenPurpose(subscription.AccountId, subscription.TokenHash), sealedToken) is { } token
            ? System.Text.Encoding.UTF8.GetString(token)
            : "";

    /// <summary>The associated data a subscription's token is sealed under: bound to its account and token hash.</summary>
    public static string SealedTokenPurpose(string accountId, string tokenHash) => $"push|{accountId}|{tokenHash}";

    private static string Cut(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= BodyLength ? flat : flat[..(BodyLength - 1)].TrimEnd() + "…";
    }
}
