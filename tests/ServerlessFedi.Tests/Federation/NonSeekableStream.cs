namespace ServerlessFedi.Tests.Federation;

/// <summary>A request body whose length HttpClient cannot know, so the request goes out chunked.</summary>
internal sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
{
    public override bool CanSeek => false;
}
