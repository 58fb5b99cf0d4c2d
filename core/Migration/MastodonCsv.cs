using System.Text;

namespace ServerlessFedi.Migration;

/// <summary>
/// The CSV Mastodon's exports write (RFC 4180: comma-separated, fields with a comma or quote in double quotes, CRLF),
/// read line by line: a field spanning lines is malformed here, as no Mastodon export writes one.
/// </summary>
public static class MastodonCsv
{
    /// <summary>The headers of the exports that have one; a first line equal to one of them is not a row.</summary>
    public static readonly IReadOnlyList<string> Headers = ["Account address", "Account address,Show boosts,Notify on new posts,Languages", "Account address,Hide notifications"];

    /// <summary>The fields of one line, or null when its quotes do not balance.</summary>
    public static string[]? ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>Whether <paramref name="line"/> is the header of one of Mastodon's exports.</summary>
    public static bool IsHeader(string line) =>
        Headers.Any(h => string.Equals(line.Trim(), h, StringComparison.OrdinalIgnoreCase));
}
