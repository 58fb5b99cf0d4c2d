namespace ServerlessFedi.Moderation;

/// <summary>
/// How far the operator limits a remote server or account, in Mastodon's words and order (docs: methods/admin/domain_blocks,
/// entities/DomainBlock): <c>noop</c> limits nothing by itself (only <c>reject_media</c>/<c>reject_reports</c> apply),
/// <c>silence</c> keeps its posts out of public timelines and its notifications from non-followers, <c>suspend</c> refuses
/// it entirely.
/// </summary>
public enum DomainSeverity
{
    Noop,
    Silence,
    Suspend,
}
