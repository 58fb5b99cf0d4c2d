using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Reads an MP3 file: ID3v2 tags at the start are skipped, then MPEG audio layer III frames are walked one by one (each
/// header gives the next frame's position); anything between runs of frames (ID3v1, APE, Lyrics3 tags, junk) is passed
/// over by searching for the next two consecutive frames of the same stream. The duration comes from the Xing/Info or
/// VBRI frame count when the first frame carries one, else from the frames walked.
/// </summary>
public static class Mp3Parser
{
    public static AvProbe Parse(ReadOnlySpan<byte> data)
    {
        if (Read(data) is not { } stream)
        {
            return AvProbe.Invalid("the MP3 file holds no MPEG audio layer III frames");
        }

        var frames = stream.TagFrames ?? stream.FrameCount;
        return AvProbe.Ok(new AvInfo
        {
            Container = AvContainer.Mp3,
            Type = "audio",
            ContentType = "audio/mpeg",
            Extension = "mp3",
            Duration = frames * (double)stream.First.SamplesPerFrame / stream.First.SampleRate,
            AudioCodec = "mp3",
            SampleRate = stream.First.SampleRate,
            Channels = stream.First.Channels,
        });
    }

    /// <summary>The frames of the stream as runs of consecutive bytes; null when there are none.</summary>
    internal static Frames? Read(ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (data.Length - position >= 10 && data.Slice(position, 3).SequenceEqual("ID3"u8))
        {
            // ID3v2 header: "ID3", version (2), flags (1; 0x10 = footer follows), size as four 7-bit bytes.
            var size = (data[position + 6] << 21) | (data[position + 7] << 14) | (data[position + 8] << 7) | data[position + 9];
            position += 10 + size + ((data[position + 5] & 0x10) != 0 ? 10 : 0);
        }

        var runs = new List<(int Start, int End)>();
        MpegAudioFrame first = default;
        long count = 0;
        long? tagFrames = null;
        while ((position = Sync(data, position, runs.Count == 0 ? null : first)) >= 0)
        {
            var start = position;
            while (MpegAudioFrame.TryRead(data[position..], out var frame) && ((runs.Count == 0 && position == start) || frame.SameStreamAs(first))
                && frame.Length <= data.Length - position)
            {
                if (runs.Count == 0 && position == start)
                {
                    first = frame;
                    tagFrames = TagFrameCount(data.Slice(position, frame.Length), frame);
                }

                position += frame.Length;
                count++;
            }

            runs.Add((start, position));
        }

        return runs.Count == 0 ? null : new Frames(runs, first, count, tagFrames);
    }

    /// <summary>The next position from <paramref name="from"/> where two frames of the stream follow each other; -1 when none.</summary>
    private static int Sync(ReadOnlySpan<byte> data, int from, MpegAudioFrame? stream)
    {
        for (var p = from; p <= data.Length - 4; p++)
        {
            var next = data[p..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return -1;
            }

            p += next;
            if (MpegAudioFrame.TryRead(data[p..], out var frame) && (stream is not { } s || frame.SameStreamAs(s)) && frame.Length <= data.Length - p)
            {
                var after = p + frame.Length;
                // The last frame of a file has no successor: it counts when the file ends right after it.
                if (after == data.Length || (MpegAudioFrame.TryRead(data[after..], out var second) && second.SameStreamAs(frame)))
                {
                    return p;
                }
            }
        }

        return -1;
    }

    /// <summary>Frames counted by a Xing/Info tag (after the side information) or a VBRI tag (32 bytes in), excluding the tag's own frame.</summary>
    private static long? TagFrameCount(ReadOnlySpan<byte> frame, MpegAudioFrame header)
    {
        var xing = 4 + header.SideInfoLength;
        if (frame.Length >= xing + 12 && (frame.Slice(xing, 4).SequenceEqual("Xing"u8) || frame.Slice(xing, 4).SequenceEqual("Info"u8))
            && (BinaryPrimitives.ReadUInt32BigEndian(frame[(xing + 4)..]) & 0x1) != 0)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(frame[(xing + 8)..]);
        }

        const int Vbri = 4 + 32;
        return frame.Length >= Vbri + 18 && frame.Slice(Vbri, 4).SequenceEqual("VBRI"u8)
            ? BinaryPrimitives.ReadUInt32BigEndian(frame[(Vbri + 14)..])
            : null;
    }

    /// <summary>Runs of frames (byte ranges), the first frame's header, how many frames were walked, and the tag's count.</summary>
    internal sealed record Frames(IReadOnlyList<(int Start, int End)> Runs, MpegAudioFrame First, long FrameCount, long? TagFrames);
}
