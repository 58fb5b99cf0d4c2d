namespace ServerlessFedi.Media;

/// <summary>
/// A media file, or the part of it a range asked for, read back from storage for the app's own media route:
/// the bytes, where they start in the file and the file's whole length.
/// </summary>
public sealed record MediaFile(byte[] Data, string ContentType, long Offset = 0, long TotalLength = -1)
{
    public long Length => TotalLength < 0 ? Data.Length : TotalLength;
}
