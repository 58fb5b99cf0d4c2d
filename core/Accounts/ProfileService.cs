using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Media;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Profile changes by the owner (docs: methods/accounts#update_credentials): validate everything first, so a refusal
/// changes nothing; render avatar (400x400) and header (1500x500) through the media pipeline; store; drop the replaced
/// files; then publish <c>Update(Person)</c> to followers (write, then enqueue).
/// Storage: 1 merge + 1 blob put per new image + 1 blob delete per replaced image + 1 queue send.
/// </summary>
public sealed partial class ProfileService(
    AccountStore accounts,
    MediaStore media,
    ActivityBuilder activities,
    ActivityPublisher publisher,
    SnowflakeIds ids,
    TimeProvider time)
{
    public const int MaxDisplayName = 30;

    public const int MaxNote = 500;

    public static readonly ImageTarget AvatarSize = ImageTarget.Cover(400, 400);

    public static readonly ImageTarget HeaderSize = ImageTarget.Cover(1500, 500);

    private static readonly ImageTarget PreviewSize = ImageTarget.Cover(40, 40);

    public async Task<ProfileUpdateResult> UpdateAsync(LocalAccount account, ProfileUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(update);
        if (Validate(update) is { } error)
        {
            return ProfileUpdateResult.Invalid(error);
        }

        // Images are decoded before anything is written: a file that is not an image refuses the whole request.
        ProcessedImage? avatar = null, header = null;
        if (update.Avatar is { } avatarData)
        {
            var processed = MediaProcessor.Process(avatarData, AvatarSize, PreviewSize);
            if (processed.Media is null)
            {
                return ProfileUpdateResult.Invalid(Field("Avatar", processed.Message));
            }

            avatar = processed.Media.Original;
        }

        if (update.Header is { } headerData)
        {
            var processed = MediaProcessor.Process(headerData, HeaderSize, PreviewSize);
            if (processed.Media is null)
            {
                return ProfileUpdateResult.Invalid(Field("Header", processed.Message));
            }

            header = processed.Media.Original;
        }

        var updated = account with
        {
            DisplayName = update.DisplayName?.Trim() ?? account.DisplayName,
            Note = update.Note is null ? account.Note : AccountStore.PlainTextToHtml(update.Note),
            NoteText = update.Note is null ? account.NoteText : update.Note.Trim(),
            Locked = update.Locked ?? account.Locked,
            ActorType = update.Bot switch
            {
                true => ActorType.Service,
                false when account.ActorType == ActorType.Service => ActorType.Person,
                _ => account.ActorType,
            },
            Discoverable = update.Discoverable ?? account.Discoverable,
            Indexable = update.Indexable ?? account.Indexable,
            Fields = update.Fields ?? account.Fields,
            DefaultPrivacy = update.Privacy?.ToLowerInvariant() ?? account.DefaultPrivacy,
            DefaultSensitive = update.Sensitive ?? account.DefaultSensitive,
            // An empty language clears it; kept as "" because a merge would skip a null column.
            DefaultLanguage = update.Language ?? account.DefaultLanguage,
        };

        // New files go up under fresh names first; the account row then points at them; only then are the old ones removed.
        if (avatar is not null)
        {
            var name = FileName(avatar);
            await media.PutFileAsync(name, avatar, cancellationToken);
            updated = updated with { AvatarBlob = name, AvatarContentType = avatar.ContentType };
        }

        if (header is not null)
        {
            var name = FileName(header);
            await media.PutFileAsync(name, header, cancellationToken);
            updated = updated with { HeaderBlob = name, HeaderContentType = header.ContentType };
        }

        await accounts.SaveProfileAsync(updated, cancellationToken);
        if (avatar is not null && account.AvatarBlob is { } oldAvatar)
        {
            await media.DeleteFileAsync(oldAvatar, cancellationToken);
        }

        if (header is not null && account.HeaderBlob is { } oldHeader)
        {
            await media.DeleteFileAsync(oldHeader, cancellationToken);
        }

        // Every change is published, as Mastodon does after each save: remote servers refetch nothing, they take the object.
        await publisher.PublishAsync(updated, activities.UpdatePerson(updated, time.GetUtcNow()), null, skipFollowers: false, cancellationToken);
        return ProfileUpdateResult.Ok(updated);
    }

    /// <summary>The first validation error in Mastodon's wording, or null.</summary>
    public static string? Validate(ProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var errors = new List<string>();
        if (update.DisplayName is { } name && name.Trim().Length > MaxDisplayName)
        {
            errors.Add($"Display name is too long (maximum is {MaxDisplayName} characters)");
        }

        if (update.Note is { } note && note.Trim().Length > MaxNote)
        {
            errors.Add($"Note is too long (maximum is {MaxNote} characters)");
        }

        if (update.Fields is { } fields)
        {
            if (fields.Count > ProfileField.MaxFields)
            {
                errors.Add($"Fields is too long (maximum is {ProfileField.MaxFields} fields)");
            }

            if (fields.Any(f => f.Name.Length > ProfileField.MaxLength || f.Value.Length > ProfileField.MaxLength))
            {
                errors.Add($"Fields name and value are each at most {ProfileField.MaxLength} characters");
            }
        }

        if (update.Privacy is { } privacy && privacy.ToLowerInvariant() is not ("public" or "unlisted" or "private" or "direct"))
        {
            errors.Add($"Privacy '{privacy}' is not one of public, unlisted, private, direct");
        }

        if (update.Language is { Length: > 0 } language && !LanguageCode().IsMatch(language))
        {
            errors.Add($"Language '{language}' is not a language code");
        }

        return errors.Count == 0 ? null : "Validation failed: " + string.Join(", ", errors);
    }

    private string FileName(ProcessedImage image) =>
        StorageKeys.MediaBlob(ids.Next(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), "original", image.Extension);

    /// <summary>The pipeline's message, naming the form field ("Validation failed: Avatar ...").</summary>
    private static string Field(string field, string? error)
    {
        const string Prefix = "Validation failed: ";
        var reason = error ?? "File could not be processed";
        reason = reason.StartsWith(Prefix, StringComparison.Ordinal) ? reason[Prefix.Length..] : reason;
        return reason.StartsWith("File ", StringComparison.Ordinal) ? $"{Prefix}{field} {reason[5..]}" : $"{Prefix}{field}: {reason}";
    }

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguageCode();
}
