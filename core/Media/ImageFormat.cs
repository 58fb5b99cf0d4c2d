namespace ServerlessFedi.Media;

/// <summary>Image formats accepted for upload, recognised from their first bytes (never from the name or Content-Type).</summary>
public enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    WebP,
}
