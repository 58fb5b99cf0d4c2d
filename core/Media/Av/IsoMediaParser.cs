using System.Buffers.Binary;
using System.Text;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Reads an MP4, QuickTime or M4A file's movie header (ISO/IEC 14496-12; QuickTime File Format): duration (<c>mvhd</c>,
/// <c>mehd</c>, or the tracks' own), the first video track's display size (<c>tkhd</c> size turned by its matrix) and
/// frame rate (samples over media time, from <c>stts</c> and fragment runs), the first audio track's codec, channels and
/// sample rate (sample entry). Nothing is decoded. Only codecs browsers play are accepted: H.264, H.265, AV1 and VP9 video,
/// AAC and Opus audio; a clip is <c>video</c> when it has a video track.
/// </summary>
public static class IsoMediaParser
{
    private static readonly Dictionary<string, string> VideoCodecs = new(StringComparer.Ordinal)
    {
        ["avc1"] = "h264",
        ["avc3"] = "h264",
        ["hvc1"] = "hevc",
        ["hev1"] = "hevc",
        ["av01"] = "av1",
        ["vp09"] = "vp9",
    };

    private static readonly Dictionary<string, string> AudioCodecs = new(StringComparer.Ordinal) { ["mp4a"] = "aac", ["Opus"] = "opus" };

    public static AvProbe Parse(ReadOnlySpan<byte> data)
    {
        var top = IsoBox.Children(data, 0, data.Length);
        if (top is null || top.Count == 0 || top[0].Type != "ftyp")
        {
            return AvProbe.Invalid("the MP4 file is malformed or truncated");
        }

        var movies = top.Where(b => b.Type == "moov").ToList();
        if (movies.Count != 1)
        {
            return AvProbe.Invalid("the MP4 file has no movie header (moov)");
        }

        var moov = movies[0];
        var children = IsoBox.Children(data, moov.PayloadStart, moov.End);
        if (children is null)
        {
            return AvProbe.Invalid("the MP4 movie header is malformed");
        }

        if (children.Any(b => b.Type == "cmov"))
        {
            return AvProbe.Invalid("compressed QuickTime movie headers are not supported");
        }

        var (movieTimescale, movieDuration) = children.FirstOrDefault(b => b.Type == "mvhd") is { Type: not null } mvhd ? TimesOf(data, mvhd) : (0, 0);
        var tracks = new List<Track>();
        foreach (var trak in children.Where(b => b.Type == "trak"))
        {
            if (ReadTrack(data, trak) is not { } track)
            {
                return AvProbe.Invalid("an MP4 track header is malformed");
            }

            tracks.Add(track);
        }

        var fragmentDuration = ReadFragments(data, top, children, tracks, out var fragmentError);
        if (fragmentError)
        {
            return AvProbe.Invalid("an MP4 movie fragment is malformed");
        }

        if (tracks.Any(t => t.Format is "encv" or "enca"))
        {
            return AvProbe.Invalid("encrypted media is not supported");
        }

        var video = tracks.FirstOrDefault(t => t.Handler == "vide");
        var audio = tracks.FirstOrDefault(t => t.Handler == "soun");
        if (video is not null && !VideoCodecs.ContainsKey(video.Format))
        {
            return AvProbe.Invalid($"the video codec '{Printable(video.Format)}' is not supported (H.264, H.265, AV1 or VP9 only)");
        }

        if (audio is not null && !AudioCodecs.ContainsKey(audio.Format))
        {
            return AvProbe.Invalid($"the audio codec '{Printable(audio.Format)}' is not supported (AAC or Opus only)");
        }

        if (video is null && audio is null)
        {
            return AvProbe.Invalid("the MP4 file has no video or audio track");
        }

        var duration = movieTimescale > 0 && movieDuration > 0 ? movieDuration / (double)movieTimescale
            : movieTimescale > 0 && fragmentDuration > 0 ? fragmentDuration / (double)movieTimescale
            : tracks.Where(t => t.Timescale > 0).Select(t => Math.Max(t.Duration, t.SampleTime) / (double)t.Timescale).DefaultIfEmpty(0).Max();
        var (width, height, numerator, denominator) = (0, 0, 0L, 0L);
        if (video is not null)
        {
            (width, height) = video.DisplayWidth > 0 && video.DisplayHeight > 0 ? (video.DisplayWidth, video.DisplayHeight) : (video.CodedWidth, video.CodedHeight);
            if (video.Rotated)
            {
                (width, height) = (height, width);
            }

            (numerator, denominator) = FrameRates.FromCount(video.SampleCount, video.SampleTime, video.Timescale);
        }

        return AvProbe.Ok(new AvInfo
        {
            Container = AvContainer.IsoMedia,
            Type = video is null ? "audio" : "video",
            // QuickTime files with these codecs are MP4 in all that matters to players; Firefox refuses video/quicktime.
            ContentType = video is null ? "audio/mp4" : "video/mp4",
            Extension = video is null ? "m4a" : "mp4",
            Duration = duration,
            Width = width,
            Height = height,
            Pixels = video is null ? 0 : (long)video.CodedWidth * video.CodedHeight,
            FrameRateNumerator = numerator,
            FrameRateDenominator = denominator,
            VideoCodec = video is null ? null : VideoCodecs[video.Format],
            AudioCodec = audio is null ? null : AudioCodecs[audio.Format],
            SampleRate = audio is null ? null : audio.Format == "Opus" ? 48000 : audio.SampleRate,
            Channels = audio?.Channels,
        });
    }

    /// <summary>Timescale and duration of an <c>mvhd</c> or <c>mdhd</c> (version 0: 32-bit times, version 1: 64-bit).</summary>
    private static (long Timescale, long Duration) TimesOf(ReadOnlySpan<byte> data, IsoBox box)
    {
        var p = box.PayloadStart + 4;
        if (box.Version(data) == 1)
        {
            return box.PayloadLength >= 32
                ? (BinaryPrimitives.ReadUInt32BigEndian(data[(p + 16)..]), (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(data[(p + 20)..]), long.MaxValue / 2))
                : (0, 0);
        }

        return box.PayloadLength >= 20 ? (BinaryPrimitives.ReadUInt32BigEndian(data[(p + 8)..]), BinaryPrimitives.ReadUInt32BigEndian(data[(p + 12)..])) : (0, 0);
    }

    private static Track? ReadTrack(ReadOnlySpan<byte> data, IsoBox trak)
    {
        var track = new Track();
        var children = IsoBox.Children(data, trak.PayloadStart, trak.End);
        if (children is null || children.FirstOrDefault(b => b.Type == "tkhd") is not { Type: not null } tkhd
            || children.FirstOrDefault(b => b.Type == "mdia") is not { Type: not null } mdia)
        {
            return null;
        }

        // tkhd: after the times and ids (20 bytes in version 0, 32 in version 1) come 8 reserved bytes, layer, group,
        // volume, reserved (8), the 3x3 matrix (36) and width and height as 16.16 fixed point.
        var p = tkhd.PayloadStart + 4 + (tkhd.Version(data) == 1 ? 32 : 20);
        if (p + 4 > tkhd.End)
        {
            return null;
        }

        track.Id = BinaryPrimitives.ReadUInt32BigEndian(data[(p - (tkhd.Version(data) == 1 ? 16 : 12))..]);
        var matrix = p + 16;
        if (matrix + 44 <= tkhd.End)
        {
            var a = BinaryPrimitives.ReadInt32BigEndian(data[matrix..]);
            var d = BinaryPrimitives.ReadInt32BigEndian(data[(matrix + 16)..]);
            var b = BinaryPrimitives.ReadInt32BigEndian(data[(matrix + 4)..]);
            track.Rotated = a == 0 && d == 0 && b != 0;
            track.DisplayWidth = (int)(BinaryPrimitives.ReadUInt32BigEndian(data[(matrix + 36)..]) >> 16);
            track.DisplayHeight = (int)(BinaryPrimitives.ReadUInt32BigEndian(data[(matrix + 40)..]) >> 16);
        }

        var mdiaChildren = IsoBox.Children(data, mdia.PayloadStart, mdia.End);
        if (mdiaChildren is null)
        {
            return null;
        }

        if (mdiaChildren.FirstOrDefault(b => b.Type == "mdhd") is { Type: not null } mdhd)
        {
            (track.Timescale, track.Duration) = TimesOf(data, mdhd);
        }

        if (mdiaChildren.FirstOrDefault(b => b.Type == "hdlr") is { Type: not null } hdlr && hdlr.PayloadLength >= 12)
        {
            track.Handler = Encoding.Latin1.GetString(data.Slice(hdlr.PayloadStart + 8, 4));
        }

        var stbl = mdiaChildren.FirstOrDefault(b => b.Type == "minf") is { Type: not null } minf ? minf.Child(data, "stbl") : null;
        if (stbl is not { } sampleTable)
        {
            return track;
        }

        var tables = IsoBox.Children(data, sampleTable.PayloadStart, sampleTable.End);
        if (tables is null)
        {
            return null;
        }

        if (tables.FirstOrDefault(b => b.Type == "stsd") is { Type: not null } stsd && ReadSampleEntry(data, stsd, track) is false)
        {
            return null;
        }

        if (tables.FirstOrDefault(b => b.Type == "stts") is { Type: not null } stts && stts.PayloadLength >= 8)
        {
            var count = BinaryPrimitives.ReadUInt32BigEndian(data[(stts.PayloadStart + 4)..]);
            if ((long)count * 8 > stts.PayloadLength - 8)
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                var entry = stts.PayloadStart + 8 + (i * 8);
                var samples = BinaryPrimitives.ReadUInt32BigEndian(data[entry..]);
                track.SampleCount += samples;
                track.SampleTime += samples * (long)BinaryPrimitives.ReadUInt32BigEndian(data[(entry + 4)..]);
            }
        }

        return track;
    }

    /// <summary>The first sample entry: its format, coded size (visual) or channels and rate (audio, ISO or QuickTime v0-v2).</summary>
    private static bool ReadSampleEntry(ReadOnlySpan<byte> data, IsoBox stsd, Track track)
    {
        if (stsd.PayloadLength < 8 || BinaryPrimitives.ReadUInt32BigEndian(data[(stsd.PayloadStart + 4)..]) == 0)
        {
            return stsd.PayloadLength >= 8;
        }

        var entries = IsoBox.Children(data, stsd.PayloadStart + 8, stsd.End);
        if (entries is null || entries.Count == 0)
        {
            return false;
        }

        var entry = entries[0];
        track.Format = entry.Type;
        var p = entry.PayloadStart;
        if (track.Handler == "vide" && entry.PayloadLength >= 28)
        {
            track.CodedWidth = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 24)..]);
            track.CodedHeight = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 26)..]);
        }
        else if (track.Handler == "soun" && entry.PayloadLength >= 28)
        {
            var version = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 8)..]);
            if (version == 2 && entry.PayloadLength >= 44)
            {
                track.SampleRate = (int)BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(data[(p + 32)..]));
                track.Channels = (int)BinaryPrimitives.ReadUInt32BigEndian(data[(p + 40)..]);
            }
            else
            {
                track.Channels = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 16)..]);
                track.SampleRate = (int)(BinaryPrimitives.ReadUInt32BigEndian(data[(p + 24)..]) >> 16);
            }

            // The entry's boxes follow its fields: 20 bytes (ISO, QuickTime version 0), 36 (version 1) or 56 (version 2).
            var boxes = p + 8 + version switch { 1 => 36, 2 => 56, _ => 20 };
            if (track.Format == "mp4a" && Esds(data, boxes, entry.End) is { } esds
                && AacConfig.TryRead(data[(esds.PayloadStart + 4)..esds.End], out var rate, out var channels))
            {
                (track.SampleRate, track.Channels) = (rate, channels);
            }
        }

        return true;
    }

    /// <summary>The <c>esds</c> box among a sample entry's boxes, or inside QuickTime's <c>wave</c> box there.</summary>
    private static IsoBox? Esds(ReadOnlySpan<byte> data, int start, int end)
    {
        var boxes = IsoBox.Children(data, start, end) ?? [];
        if (boxes.FirstOrDefault(b => b.Type == "esds") is { Type: not null, PayloadLength: >= 4 } esds)
        {
            return esds;
        }

        return boxes.FirstOrDefault(b => b.Type == "wave") is { Type: not null } wave ? Esds(data, wave.PayloadStart, wave.End) : null;
    }

    /// <summary>
    /// Adds the samples and durations of movie fragments (<c>moof/traf</c>: <c>tfhd</c> defaults, <c>trun</c> entries,
    /// <c>mvex/trex</c> defaults) to their tracks; returns <c>mvex/mehd</c>'s fragment duration (0 when absent).
    /// </summary>
    private static long ReadFragments(ReadOnlySpan<byte> data, List<IsoBox> top, List<IsoBox> moov, List<Track> tracks, out bool malformed)
    {
        malformed = false;
        long fragmentDuration = 0;
        var defaults = new Dictionary<uint, uint>();
        if (moov.FirstOrDefault(b => b.Type == "mvex") is { Type: not null } mvex)
        {
            foreach (var box in IsoBox.Children(data, mvex.PayloadStart, mvex.End) ?? [])
            {
                if (box.Type == "mehd" && box.PayloadLength >= 8)
                {
                    fragmentDuration = box.Version(data) == 1 && box.PayloadLength >= 12
                        ? (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(data[(box.PayloadStart + 4)..]), long.MaxValue / 2)
                        : BinaryPrimitives.ReadUInt32BigEndian(data[(box.PayloadStart + 4)..]);
                }
                else if (box.Type == "trex" && box.PayloadLength >= 16)
                {
                    defaults[BinaryPrimitives.ReadUInt32BigEndian(data[(box.PayloadStart + 4)..])] = BinaryPrimitives.ReadUInt32BigEndian(data[(box.PayloadStart + 12)..]);
                }
            }
        }

        foreach (var moof in top.Where(b => b.Type == "moof"))
        {
            foreach (var traf in (IsoBox.Children(data, moof.PayloadStart, moof.End) ?? []).Where(b => b.Type == "traf"))
            {
                var boxes = IsoBox.Children(data, traf.PayloadStart, traf.End);
                if (boxes is null || boxes.FirstOrDefault(b => b.Type == "tfhd") is not { Type: not null } tfhd || tfhd.PayloadLength < 8)
                {
                    malformed = true;
                    return 0;
                }

                var flags = tfhd.Flags(data);
                var trackId = BinaryPrimitives.ReadUInt32BigEndian(data[(tfhd.PayloadStart + 4)..]);
                var offset = tfhd.PayloadStart + 8 + ((flags & 0x1) != 0 ? 8 : 0) + ((flags & 0x2) != 0 ? 4 : 0);
                var defaultDuration = defaults.GetValueOrDefault(trackId);
                if ((flags & 0x8) != 0)
                {
                    if (offset + 4 > tfhd.End)
                    {
                        malformed = true;
                        return 0;
                    }

                    defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
                }

                var track = tracks.FirstOrDefault(t => t.Id == trackId);
                foreach (var trun in boxes.Where(b => b.Type == "trun"))
                {
                    if (!AddRun(data, trun, defaultDuration, track))
                    {
                        malformed = true;
                        return 0;
                    }
                }
            }
        }

        return fragmentDuration;
    }

    private static bool AddRun(ReadOnlySpan<byte> data, IsoBox trun, uint defaultDuration, Track? track)
    {
        if (trun.PayloadLength < 8)
        {
            return false;
        }

        var flags = trun.Flags(data);
        var count = BinaryPrimitives.ReadUInt32BigEndian(data[(trun.PayloadStart + 4)..]);
        var p = trun.PayloadStart + 8 + ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x4) != 0 ? 4 : 0);
        var fields = System.Numerics.BitOperations.PopCount((uint)(flags & 0xF00));
        if (p + ((long)count * fields * 4) > trun.End)
        {
            return false;
        }

        if (track is null)
        {
            return true;
        }

        track.SampleCount += count;
        if ((flags & 0x100) == 0)
        {
            track.SampleTime += count * (long)defaultDuration;
            return true;
        }

        for (var i = 0; i < count; i++)
        {
            track.SampleTime += BinaryPrimitives.ReadUInt32BigEndian(data[(p + (i * fields * 4))..]);
        }

        return true;
    }

    private static string Printable(string fourCc) => new(fourCc.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    private sealed class Track
    {
        public uint Id { get; set; }

        public string Handler { get; set; } = "";

        public string Format { get; set; } = "";

        public long Timescale { get; set; }

        public long Duration { get; set; }

        public long SampleCount { get; set; }

        public long SampleTime { get; set; }

        public int DisplayWidth { get; set; }

        public int DisplayHeight { get; set; }

        public bool Rotated { get; set; }

        public int CodedWidth { get; set; }

        public int CodedHeight { get; set; }

        public int? SampleRate { get; set; }

        public int? Channels { get; set; }
    }
}
