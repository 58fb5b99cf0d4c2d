using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessFedi.Accounts;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Media;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>PATCH /api/v1/accounts/update_credentials</c> (docs: methods/accounts#update_credentials): multipart (with
/// <c>avatar</c>/<c>header</c> files), form-encoded or JSON. Needs <c>write:accounts</c>; answers the CredentialAccount;
/// 422 for any invalid part, and then nothing changes.
/// </summary>
public sealed partial class CredentialsApiHandler(ApiEndpoint api, ProfileService profiles, AccountMapper mapper)
{
    /// <summary>Two images and the text fields: room for both files at the largest accepted size.</summary>
    private const long MaxBody = (2L * MediaLimits.ImageSizeLimit) + (64 * 1024);

    public Task<WireResult> UpdateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts"), async r =>
        {
            if (request.ContentLength > MaxBody)
            {
                return Invalid("the request body is too large");
            }

            IFormFileCollection files = new FormFileCollection();
            if (request.HasFormContentType)
            {
                try
                {
                    // Read once with our limit; ApiParameters then reads the same cached form.
                    files = (await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxBody }, cancellationToken)).Files;
                }
                catch (InvalidDataException)
                {
                    return Invalid("the form body could not be read (too large or malformed)");
                }
            }

            var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
            if (p is null)
            {
                return BadRequest(error!);
            }

            var (fields, fieldsError) = ReadFields(p);
            if (fieldsError is not null)
            {
                return Error(ServiceError.Invalid, fieldsError);
            }

            var (avatar, avatarError) = await ReadFileAsync(files, p, "avatar", cancellationToken);
            var (header, headerError) = await ReadFileAsync(files, p, "header", cancellationToken);
            if ((avatarError ?? headerError) is { } fileError)
            {
                return Error(ServiceError.Invalid, fileError);
            }

            var update = new ProfileUpdate
            {
                DisplayName = p.Get("display_name"),
                Note = p.Get("note"),
                Avatar = avatar,
                Header = header,
                Locked = p.GetBool("locked"),
                Bot = p.GetBool("bot"),
                Discoverable = p.GetBool("discoverable"),
                Indexable = p.GetBool("indexable"),
                Fields = fields,
                Privacy = p.Get("source[privacy]"),
                Sensitive = p.GetBool("source[sensitive]"),
                Language = p.Get("source[language]"),
            };
            var result = await profiles.UpdateAsync(r.Account, update, cancellationToken);
            return result.Account is { } updated ? Ok(mapper.ToCredentialAccount(updated), Wire.Account) : Error(result.Error!.Value, result.Message!);
        }, cancellationToken);

    /// <summary>
    /// <c>fields_attributes[i][name]</c> and <c>[value]</c> (forms, and JSON arrays or index-keyed objects alike): the
    /// whole new list in index order, pairs with both parts blank left out; null when the request has none.
    /// </summary>
    private static (IReadOnlyList<ProfileField>? Fields, string? Error) ReadFields(ApiParameters p)
    {
        var byIndex = new SortedDictionary<int, (string? Name, string? Value)>();
        foreach (var name in p.Names)
        {
            var match = FieldParameter().Match(name);
            if (!match.Success)
            {
                continue;
            }

            if (!int.TryParse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= 100)
            {
                return (null, "Validation failed: fields_attributes index out of range");
            }

            var current = byIndex.GetValueOrDefault(index);
            byIndex[index] = match.Groups["part"].Value == "name" ? (p.Get(name), current.Value) : (current.Name, p.Get(name));
        }

        if (byIndex.Count == 0)
        {
            return (null, null);
        }

        var fields = byIndex.Values
            .Select(f => new ProfileField((f.Name ?? "").Trim(), (f.Value ?? "").Trim()))
            .Where(f => f.Name.Length > 0 || f.Value.Length > 0)
            .ToList();
        return (fields, null);
    }

    private static async Task<(byte[]? Data, string? Error)> ReadFileAsync(IFormFileCollection files, ApiParameters p, string name, CancellationToken cancellationToken)
    {
        var file = files.GetFile(name);
        if (file is null)
        {
            // A text value where a file belongs (JSON or form-encoded bodies cannot carry one) is refused, not ignored.
            return p.Has(name) ? (null, $"Validation failed: {Capitalised(name)} must be sent as a file in a multipart/form-data body") : (null, null);
        }

        if (file.Length == 0)
        {
            return (null, $"Validation failed: {Capitalised(name)} can't be blank");
        }

        if (file.Length > MediaLimits.ImageSizeLimit)
        {
            return (null, $"Validation failed: {Capitalised(name)} size must be at most {MediaLimits.ImageSizeLimit / (1024 * 1024)} MB");
        }

        var data = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(data, cancellationToken);
        return (data, null);
    }

    private static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    [GeneratedRegex(@"^fields_attributes\[(?<index>[^\]]*)\]\[(?<part>name|value)\]$")]
    private static partial Regex FieldParameter();
}
