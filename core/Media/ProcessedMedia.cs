namespace ServerlessFedi.Media;

/// <summary>The outcome of a successful upload: the stored original, its preview and the preview's BlurHash.</summary>
public sealed record ProcessedMedia(ProcessedImage Original, ProcessedImage Small, string Blurhash, bool Animated);
