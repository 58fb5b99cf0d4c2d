namespace ServerlessFedi.Media;

/// <summary>One rendered image: its encoded bytes (no metadata), MIME type, file extension and dimensions.</summary>
public sealed record ProcessedImage(byte[] Data, string ContentType, string Extension, int Width, int Height);
