namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>A language the server knows (docs: methods/instance#languages).</summary>
public sealed record Language(string Code, string Name);
