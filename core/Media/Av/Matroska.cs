namespace ServerlessFedi.Media.Av;

/// <summary>Matroska element IDs (RFC 9559 5.1) and the walk over a master element's children that both the parser and the stripper use.</summary>
internal static class Matroska
{
    public const uint Ebml = 0x1A45DFA3;
    public const uint DocType = 0x4282;
    public const uint Segment = 0x18538067;
    public const uint SeekHead = 0x114D9B74;
    public const uint Seek = 0x4DBB;
    public const uint SeekId = 0x53AB;
    public const uint Info = 0x1549A966;
    public const uint TimestampScale = 0x2AD7B1;
    public const uint Duration = 0x4489;
    public const uint Title = 0x7BA9;
    public const uint MuxingApp = 0x4D80;
    public const uint WritingApp = 0x5741;
    public const uint DateUtc = 0x4461;
    public const uint Tracks = 0x1654AE6B;
    public const uint TrackEntry = 0xAE;
    public const uint TrackNumber = 0xD7;
    public const uint TrackType = 0x83;
    public const uint CodecId = 0x86;
    public const uint CodecPrivate = 0x63A2;
    public const uint DefaultDuration = 0x23E383;
    public const uint Name = 0x536E;
    public const uint Video = 0xE0;
    public const uint PixelWidth = 0xB0;
    public const uint PixelHeight = 0xBA;
    public const uint DisplayWidth = 0x54B0;
    public const uint DisplayHeight = 0x54BA;
    public const uint DisplayUnit = 0x54B2;
    public const uint Audio = 0xE1;
    public const uint SamplingFrequency = 0xB5;
    public const uint Channels = 0x9F;
    public const uint ContentEncodings = 0x6D80;
    public const uint ContentEncoding = 0x6240;
    public const uint ContentEncryption = 0x5035;
    public const uint Cluster = 0x1F43B675;
    public const uint Timestamp = 0xE7;
    public const uint SimpleBlock = 0xA3;
    public const uint BlockGroup = 0xA0;
    public const uint Block = 0xA1;
    public const uint BlockDuration = 0x9B;
    public const uint Tags = 0x1254C367;
    public const uint Attachments = 0x1941A469;
    public const uint Void = 0xEC;

    /// <summary>What a Cluster may hold (RFC 9559 5.1.3); any other ID ends a Cluster of unknown size.</summary>
    private static readonly HashSet<uint> ClusterChildren = [Timestamp, SimpleBlock, BlockGroup, 0xA7, 0xAB, 0x5854, 0xAF, Void, 0xBF];

    /// <summary>
    /// The children of <paramref name="parent"/>, an unknown-size Cluster's end found by reading its children, an unknown-size
    /// Segment running to the parent's end; null when an element is malformed or another element has an unknown size.
    /// </summary>
    public static List<EbmlElement>? Children(ReadOnlySpan<byte> data, int start, int end)
    {
        var list = new List<EbmlElement>();
        for (var position = start; position < end;)
        {
            if (EbmlElement.Read(data, position, end) is not { } element)
            {
                return null;
            }

            if (element.UnknownSize)
            {
                if (element.Id == Cluster)
                {
                    element = element with { End = ClusterEnd(data, element.DataStart, end) };
                }
                else if (element.Id != Segment)
                {
                    return null;
                }
            }

            list.Add(element);
            position = element.End;
        }

        return list;
    }

    /// <summary>Where an unknown-size Cluster ends: at the first element that is not a Cluster child, or the parent's end.</summary>
    private static int ClusterEnd(ReadOnlySpan<byte> data, int start, int end)
    {
        var position = start;
        while (position < end && EbmlElement.Read(data, position, end) is { UnknownSize: false } child && ClusterChildren.Contains(child.Id))
        {
            position = child.End;
        }

        return position;
    }
}
