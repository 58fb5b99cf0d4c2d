namespace ServerlessFedi.Moderation;

/// <summary>
/// A server-wide block of a remote domain and its subdomains (Mastodon's admin <c>DomainBlock</c>), set by the operator
/// with <c>admin domains block</c>. <see cref="PublicComment"/> is what <c>/api/v1/instance/domain_blocks</c> shows.
/// </summary>
public sealed record InstanceDomainBlock(
    string Domain,
    DomainSeverity Severity,
    bool RejectMedia,
    bool RejectReports,
    string? PublicComment,
    DateTimeOffset CreatedAt)
{
    /// <summary>Mastodon lists a block publicly when it limits something users notice (<c>with_user_facing_limitations</c>).</summary>
    public bool IsUserFacing => Severity != DomainSeverity.Noop || RejectMedia;
}
