namespace ServerlessFedi.Content;

/// <summary>
/// A span of status text that becomes a link: <c>[Start, End)</c> in UTF-16 units.
/// For a mention, <see cref="Username"/> and <see cref="Domain"/> are as typed (domain null when none was written);
/// for a hashtag the name is the text after the <c>#</c>.
/// </summary>
internal readonly record struct TextEntity(TextEntityKind Kind, int Start, int End, string? Username = null, string? Domain = null);
