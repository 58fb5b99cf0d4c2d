namespace ServerlessFedi.Media;

/// <summary>A media file read back from storage, for the app's own media route.</summary>
public sealed record MediaFile(byte[] Data, string ContentType);
