namespace ServerlessFedi.Media.Av;

/// <summary>
/// Reads a WebM file (Matroska, RFC 9559, with DocType <c>webm</c>, or <c>matroska</c> holding only WebM codecs): Info's
/// duration and timestamp scale, the first video track's display size and frame rate (<c>DefaultDuration</c>), the first
/// audio track's codec, rate and channels. A recorder's file without a Duration (unknown-size Segment and Clusters, as
/// browsers' MediaRecorder writes) is timed from its blocks: the last block's end, and the video frames counted over it.
/// Only VP8, VP9 and AV1 video and Opus and Vorbis audio are accepted; encrypted tracks are refused.
/// </summary>
public static class MatroskaParser
{
    private static readonly Dictionary<string, string> VideoCodecs = new(StringComparer.Ordinal) { ["V_VP8"] = "vp8", ["V_VP9"] = "vp9", ["V_AV1"] = "av1" };

    private static readonly Dictionary<string, string> AudioCodecs = new(StringComparer.Ordinal) { ["A_OPUS"] = "opus", ["A_VORBIS"] = "vorbis" };

    public static AvProbe Parse(ReadOnlySpan<byte> data)
    {
        var top = Matroska.Children(data, 0, data.Length);
        if (top is null || top.Count < 2 || top[0].Id != Matroska.Ebml)
        {
            return AvProbe.Invalid("the WebM file is malformed or truncated");
        }

        var docType = Matroska.Children(data, top[0].DataStart, top[0].End)?.FirstOrDefault(e => e.Id == Matroska.DocType) is { Id: not 0 } dt ? dt.ReadText(data) : "";
        if (docType is not ("webm" or "matroska"))
        {
            return AvProbe.Invalid($"the EBML document type '{docType}' is not supported (WebM only)");
        }

        if (top.FirstOrDefault(e => e.Id == Matroska.Segment) is not { Id: not 0 } segment || Matroska.Children(data, segment.DataStart, segment.End) is not { } level1)
        {
            return AvProbe.Invalid("the WebM segment is malformed or truncated");
        }

        ulong scale = 1_000_000;
        double? duration = null;
        var tracks = new List<Track>();
        foreach (var element in level1)
        {
            var children = element.Id is Matroska.Info or Matroska.Tracks ? Matroska.Children(data, element.DataStart, element.End) : [];
            if (children is null)
            {
                return AvProbe.Invalid("the WebM headers are malformed");
            }

            foreach (var child in children)
            {
                switch (child.Id)
                {
                    case Matroska.TimestampScale when child.ReadUnsigned(data) > 0:
                        scale = child.ReadUnsigned(data);
                        break;
                    case Matroska.Duration:
                        duration = child.ReadFloat(data);
                        break;
                    case Matroska.TrackEntry:
                        if (ReadTrack(data, child) is not { } track)
                        {
                            return AvProbe.Invalid("a WebM track entry is malformed");
                        }

                        tracks.Add(track);
                        break;
                    default:
                        break;
                }
            }
        }

        if (tracks.Any(t => t.Encrypted))
        {
            return AvProbe.Invalid("encrypted media is not supported");
        }

        var video = tracks.FirstOrDefault(t => t.Type == 1);
        var audio = tracks.FirstOrDefault(t => t.Type == 2);
        if (video is not null && !VideoCodecs.ContainsKey(video.Codec))
        {
            return AvProbe.Invalid($"the video codec '{video.Codec}' is not supported (VP8, VP9 or AV1 only)");
        }

        if (audio is not null && !AudioCodecs.ContainsKey(audio.Codec))
        {
            return AvProbe.Invalid($"the audio codec '{audio.Codec}' is not supported (Opus or Vorbis only)");
        }

        if (video is null && audio is null)
        {
            return AvProbe.Invalid("the WebM file has no video or audio track");
        }

        var seconds = duration is > 0 ? duration.Value * scale / 1e9 : 0;
        (long, long) rate = (0, 0);
        if (video is { DefaultDuration: > 0 })
        {
            rate = FrameRates.Snap(FrameRates.Reduce(1_000_000_000, (long)video.DefaultDuration));
        }

        if (seconds <= 0 || (video is not null && rate.Item2 == 0))
        {
            var (end, videoBlocks) = ScanBlocks(data, level1, tracks, video?.Number, scale);
            seconds = seconds > 0 ? seconds : end * (double)scale / 1e9;
            if (video is not null && rate.Item2 == 0)
            {
                rate = FrameRates.FromCount(videoBlocks, (long)Math.Round(seconds * 1_000_000), 1_000_000);
            }
        }

        return AvProbe.Ok(new AvInfo
        {
            Container = AvContainer.Matroska,
            Type = video is null ? "audio" : "video",
            ContentType = video is null ? "audio/webm" : "video/webm",
            Extension = video is null ? "weba" : "webm",
            Duration = seconds,
            Width = video?.DisplayWidth ?? 0,
            Height = video?.DisplayHeight ?? 0,
            Pixels = video is null ? 0 : (long)video.PixelWidth * video.PixelHeight,
            FrameRateNumerator = rate.Item1,
            FrameRateDenominator = rate.Item2,
            VideoCodec = video is null ? null : VideoCodecs[video.Codec],
            AudioCodec = audio is null ? null : AudioCodecs[audio.Codec],
            // Opus always decodes at 48 kHz (RFC 7845 5.1); the track's rate is the encoder's input.
            SampleRate = audio is null ? null : audio.Codec == "A_OPUS" ? 48000 : audio.SampleRate,
            Channels = audio?.Channels,
        });
    }

    private static Track? ReadTrack(ReadOnlySpan<byte> data, EbmlElement entry)
    {
        var children = Matroska.Children(data, entry.DataStart, entry.End);
        if (children is null)
        {
            return null;
        }

        var track = new Track();
        foreach (var child in children)
        {
            switch (child.Id)
            {
                case Matroska.TrackNumber:
                    track.Number = child.ReadUnsigned(data);
                    break;
                case Matroska.TrackType:
                    track.Type = child.ReadUnsigned(data);
                    break;
                case Matroska.CodecId:
                    track.Codec = child.ReadText(data);
                    break;
                case Matroska.DefaultDuration:
                    track.DefaultDuration = child.ReadUnsigned(data);
                    break;
                case Matroska.ContentEncodings:
                    track.Encrypted = Contains(data, child, Matroska.ContentEncryption);
                    break;
                case Matroska.Video or Matroska.Audio:
                    if (Matroska.Children(data, child.DataStart, child.End) is not { } settings)
                    {
                        return null;
                    }

                    ReadSettings(data, settings, track);
                    break;
                default:
                    break;
            }
        }

        if (track.DisplayWidth == 0 || track.DisplayHeight == 0)
        {
            (track.DisplayWidth, track.DisplayHeight) = (track.PixelWidth, track.PixelHeight);
        }

        return track;
    }

    private static void ReadSettings(ReadOnlySpan<byte> data, List<EbmlElement> settings, Track track)
    {
        var displayInPixels = true;
        foreach (var s in settings)
        {
            displayInPixels &= s.Id != Matroska.DisplayUnit || s.ReadUnsigned(data) == 0;
        }

        foreach (var s in settings)
        {
            switch (s.Id)
            {
                case Matroska.PixelWidth:
                    track.PixelWidth = (int)Math.Min(s.ReadUnsigned(data), 100_000);
                    break;
                case Matroska.PixelHeight:
                    track.PixelHeight = (int)Math.Min(s.ReadUnsigned(data), 100_000);
                    break;
                case Matroska.DisplayWidth when displayInPixels:
                    track.DisplayWidth = (int)Math.Min(s.ReadUnsigned(data), 100_000);
                    break;
                case Matroska.DisplayHeight when displayInPixels:
                    track.DisplayHeight = (int)Math.Min(s.ReadUnsigned(data), 100_000);
                    break;
                case Matroska.SamplingFrequency:
                    track.SampleRate = (int)s.ReadFloat(data);
                    break;
                case Matroska.Channels:
                    track.Channels = (int)Math.Min(s.ReadUnsigned(data), 255);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Whether <paramref name="element"/> holds an element of <paramref name="id"/> at any depth below it (two levels suffice for encodings).</summary>
    private static bool Contains(ReadOnlySpan<byte> data, EbmlElement element, uint id)
    {
        foreach (var child in Matroska.Children(data, element.DataStart, element.End) ?? [])
        {
            if (child.Id == id || (child.Id == Matroska.ContentEncoding && Contains(data, child, id)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The end of the last block in timestamp units (cluster timestamp + block offset + its duration, or the track's
    /// default duration), and how many blocks belong to <paramref name="videoTrack"/>.
    /// </summary>
    private static (long End, long VideoBlocks) ScanBlocks(ReadOnlySpan<byte> data, List<EbmlElement> level1, List<Track> tracks, ulong? videoTrack, ulong scale)
    {
        long end = 0, videoBlocks = 0;
        foreach (var cluster in level1.Where(e => e.Id == Matroska.Cluster))
        {
            var children = Matroska.Children(data, cluster.DataStart, cluster.End) ?? [];
            long clusterTime = children.FirstOrDefault(c => c.Id == Matroska.Timestamp) is { Id: not 0 } t ? (long)Math.Min(t.ReadUnsigned(data), long.MaxValue / 4) : 0;
            foreach (var child in children)
            {
                var (block, blockDuration) = (child, 0L);
                if (child.Id == Matroska.BlockGroup)
                {
                    var group = Matroska.Children(data, child.DataStart, child.End) ?? [];
                    if (group.FirstOrDefault(g => g.Id == Matroska.Block) is not { Id: not 0 } inner)
                    {
                        continue;
                    }

                    block = inner;
                    blockDuration = group.FirstOrDefault(g => g.Id == Matroska.BlockDuration) is { Id: not 0 } d ? (long)Math.Min(d.ReadUnsigned(data), int.MaxValue) : 0;
                }
                else if (child.Id != Matroska.SimpleBlock)
                {
                    continue;
                }

                // Block header: track number (a variable-length integer), then a signed 16-bit offset to the cluster's timestamp.
                if (!EbmlElement.TryReadNumber(data, block.DataStart, block.End, out var track, out var trackLength) || block.DataStart + trackLength + 2 > block.End)
                {
                    continue;
                }

                var offset = (short)((data[block.DataStart + trackLength] << 8) | data[block.DataStart + trackLength + 1]);
                if (blockDuration == 0 && tracks.FirstOrDefault(tr => tr.Number == track) is { DefaultDuration: > 0 } owner)
                {
                    blockDuration = (long)Math.Round(owner.DefaultDuration / (double)scale); // nanoseconds to timestamp units
                }

                end = Math.Max(end, clusterTime + offset + blockDuration);
                if (track == videoTrack)
                {
                    videoBlocks++;
                }
            }
        }

        return (end, videoBlocks);
    }

    private sealed class Track
    {
        public ulong Number { get; set; }

        public ulong Type { get; set; }

        public string Codec { get; set; } = "";

        public ulong DefaultDuration { get; set; }

        public bool Encrypted { get; set; }

        public int PixelWidth { get; set; }

        public int PixelHeight { get; set; }

        public int DisplayWidth { get; set; }

        public int DisplayHeight { get; set; }

        public int? SampleRate { get; set; }

        public int? Channels { get; set; }
    }
}
