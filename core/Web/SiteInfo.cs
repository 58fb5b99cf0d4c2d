namespace ServerlessFedi.Web;

/// <summary>What every page's frame shows: the instance's name and the links of its header and footer.</summary>
public sealed record SiteInfo(
    string Title,
    string HomeUrl,
    string AboutUrl,
    string ImprintUrl,
    string PrivacyUrl,
    string StylesheetUrl);
