namespace ServerlessFedi.Benchmarks;

/// <summary>What draining a queue took: messages processed, receive calls made and how many of them came back empty.</summary>
public sealed record DrainResult(int Messages, int Polls, int EmptyPolls);
