namespace ServerlessFedi.Media;

/// <summary>An upload waiting in the <c>media</c> queue: whose it is and its id (the raw file is in the private <c>uploads</c> container).</summary>
public sealed record MediaMessage(string AccountId, string MediaId);
