namespace ServerlessFedi.Content;

internal enum TextEntityKind
{
    Url,
    Mention,
    Hashtag,
}
