namespace ServerlessFedi.Media;

/// <summary>
/// Where an upload stands (Mastodon's <c>processing</c>): images and v1 uploads are complete when the API answers;
/// a v2 video or audio upload is queued until the <c>media</c> queue has stripped and stored it, or failed with a reason.
/// </summary>
public enum MediaProcessingState
{
    Complete,
    Queued,
    Failed,
}
