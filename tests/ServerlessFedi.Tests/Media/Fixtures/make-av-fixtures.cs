// Writes the video and audio test files. Run once from this folder: `dotnet run make-av-fixtures.cs` (needs Debian's
// ffmpeg 5.1: `apt-get install ffmpeg`); the outputs are committed and the tests never call ffmpeg. Not part of the test
// project (excluded in ServerlessFedi.Tests.csproj). Pictures and tones come from ffmpeg's own generators (testsrc2,
// sine); every metadata value is made up here, so the tests can prove the pipeline removes it. See README.md.
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false
#:property AnalysisLevel=none
#:property EnforceCodeStyleInBuild=false

using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

const string Location = "+52.5200+013.4050+034.000/";
string[] video = ["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=10:duration=1"];
string[] tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1:sample_rate=22050"];
string[] x264 = ["-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-crf", "40"];
string[] aac = ["-c:a", "aac", "-b:a", "24k"];
string[] person = ["-metadata", "title=Jane Doe at home", "-metadata", "artist=Jane Doe", "-metadata", "comment=Shot at " + Location];

// 1. iphone.mov: H.264 + AAC in QuickTime ('qt  '), mdat before moov as an iPhone writes it. ffmpeg writes the Apple
//    keys (mdta) metadata; Inject() then moves it to moov/meta and adds what ffmpeg cannot write: moov/udta with ©xyz,
//    ©mak, ©mod, ©swr, a uuid XMP box, and a timed metadata track (handler 'meta', 'mebx') whose one sample, in a second
//    mdat after moov, is the location again.
Ffmpeg([.. video, .. tone, .. x264, .. aac, "-movflags", "use_metadata_tags",
    "-metadata", "com.apple.quicktime.location.ISO6709=" + Location, "-metadata", "com.apple.quicktime.make=Apple",
    "-metadata", "com.apple.quicktime.model=iPhone 15 Pro", "-metadata", "com.apple.quicktime.software=17.4.1",
    "-f", "mov", "iphone.tmp.mov"]);
File.WriteAllBytes("iphone.mov", Inject(File.ReadAllBytes("iphone.tmp.mov")));
File.Delete("iphone.tmp.mov");

// 2. portrait.mp4: H.264 + AAC, moov before mdat (faststart), ©xyz from ffmpeg's 'location' and the usual udta strings;
//    the video track's display matrix is then set to a 90 degree rotation (in place), so coded 96x64 shows as 64x96.
Ffmpeg([.. video, .. tone, .. x264, .. aac, "-metadata", "location=" + Location, .. person, "-movflags", "+faststart", "portrait.mp4"]);
File.WriteAllBytes("portrait.mp4", Rotate90(File.ReadAllBytes("portrait.mp4")));

// 2b. fragmented.mp4: H.264 + AAC as movie fragments (an empty moov, then moof/mdat pairs, then mfra), as browsers'
//     MediaRecorder and streaming tools write MP4; a title in udta.
Ffmpeg([.. video, .. tone, .. x264, "-g", "5", .. aac, "-metadata", "title=Jane Doe at home",
    "-movflags", "frag_keyframe+empty_moov+default_base_moof", "fragmented.mp4"]);

// 3. hevc.mp4: H.265 ('hvc1', as Apple writes it), no audio.
Ffmpeg([.. video, "-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=error", "-crf", "40", "-pix_fmt", "yuv420p", "hevc.mp4"]);

// 4. voice.m4a: AAC only (ipod muxer, brand 'M4A '), with iTunes-style tags.
Ffmpeg([.. tone, .. aac, .. person, "-f", "ipod", "voice.m4a"]);

// 5. clip.webm: VP9 + Opus with Info/Title, DateUTC, a track name and Tags (title, artist, location).
Ffmpeg([.. video, .. tone, "-c:v", "libvpx-vp9", "-b:v", "40k", "-deadline", "good", "-c:a", "libopus", "-b:a", "16k",
    .. person, "-metadata", "LOCATION=" + Location, "-metadata", "creation_time=2024-05-01T10:00:00Z",
    "-metadata:s:v:0", "title=Front camera", "clip.webm"]);

// 6. live.webm: VP8 + Vorbis written to a pipe, as a recorder streams it: the Segment's size is unknown and Info has no
//    Duration (the parser must find it in the clusters).
Ffmpeg([.. video, .. tone, "-c:v", "libvpx", "-b:v", "40k", "-c:a", "libvorbis", "-q:a", "0", .. person, "-f", "webm", "pipe:1"], "live.webm");

// 7. av1.webm: AV1 only (libaom, the smallest frames it makes).
Ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=0.5", "-c:v", "libaom-av1", "-cpu-used", "8", "-crf", "63", "-b:v", "0", "av1.webm"]);

// 8. tags.mp3: MP3 with an ID3v2.4 tag (title, artist, comment, a made-up GPS frame), the Xing/LAME frame and ID3v1.
Ffmpeg([.. tone, "-c:a", "libmp3lame", "-b:a", "32k", .. person, "-metadata", "TXXX=GPS " + Location, "-write_id3v1", "1", "tags.mp3"]);

// 9. cbr.mp3: MP3 without the Xing frame and without tags (duration from the frames themselves), MPEG-2 (22.05 kHz).
Ffmpeg([.. tone, "-c:a", "libmp3lame", "-b:a", "24k", "-write_xing", "0", "-id3v2_version", "0", "cbr.mp3"]);

// 10. opus.ogg: Opus with a vendor string and user comments (title, artist, location).
Ffmpeg([.. tone, "-c:a", "libopus", "-b:a", "16k", .. person, "-metadata", "LOCATION=" + Location, "opus.ogg"]);

// 11. vorbis.ogg: Vorbis, whose comment and setup headers share a page (the stripper must re-page them).
Ffmpeg([.. tone, "-c:a", "libvorbis", "-q:a", "0", .. person, "-metadata", "LOCATION=" + Location, "vorbis.ogg"]);

// 12. info.wav: 16-bit PCM mono at 8 kHz, half a second, with LIST/INFO and a bext chunk (originator, description).
Ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5:sample_rate=8000", "-c:a", "pcm_s16le", .. person,
    "-metadata", "encoded_by=Jane Doe", "-write_bext", "1", "-metadata", "originator=Jane's recorder", "info.wav"]);

static void Ffmpeg(string[] args, string? stdoutFile = null)
{
    var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = stdoutFile is not null };
    foreach (var a in new[] { "-v", "error", "-y" }.Concat(args))
    {
        info.ArgumentList.Add(a);
    }

    using var process = Process.Start(info)!;
    if (stdoutFile is not null)
    {
        using var file = File.Create(stdoutFile);
        process.StandardOutput.BaseStream.CopyTo(file);
    }

    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException("ffmpeg failed: " + string.Join(' ', args));
    }
}

// Rebuilds an ffmpeg QuickTime file (ftyp, wide, mdat, moov) the way an iPhone lays out its metadata. moov comes after
// mdat, so growing it moves no sample: the existing chunk offsets stay right.
static byte[] Inject(byte[] mov)
{
    var boxes = Children(mov, 0, mov.Length);
    var moov = boxes.Single(b => b.Type == "moov");
    var moovChildren = Children(mov, moov.Start + 8, moov.End);
    var udta = moovChildren.Single(b => b.Type == "udta");
    var mdta = Children(mov, udta.Start + 8, udta.End).Single(b => b.Type == "meta");

    var prefix = mov[..moov.Start];
    var kept = moovChildren.Where(b => b.Type != "udta").Select(b => mov[b.Start..b.End]).ToList();
    var appleUdta = Box("udta",
        Box("\u00A9xyz", QuickTimeString(Location)),
        Box("\u00A9mak", QuickTimeString("Apple")),
        Box("\u00A9mod", QuickTimeString("iPhone 15 Pro")),
        Box("\u00A9swr", QuickTimeString("17.4.1")));
    var xmp = Encoding.ASCII.GetBytes(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        + "<rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='52,31.2N' exif:GPSLongitude='13,24.3E'"
        + " xmlns:dc='http://purl.org/dc/elements/1.1/' dc:creator='Jane Doe'/></rdf:RDF></x:xmpmeta>");
    var uuidXmp = Box("uuid", Convert.FromHexString("BE7ACFCB97A942E89C71999491E3AFAC"), xmp);

    // The timed metadata sample, in an mdat of its own after moov; its offset depends on moov's final size.
    var sample = Concat(U32((uint)(8 + Location.Length)), Encoding.ASCII.GetBytes("\0\0\0\u0001"), Encoding.ASCII.GetBytes(Location));
    byte[] BuildMoov(uint sampleOffset) => Box("moov", [.. kept, mov[mdta.Start..mdta.End], MetadataTrack(3, sampleOffset, sample.Length), appleUdta, uuidXmp]);
    var moovSize = BuildMoov(0).Length;
    var sampleOffset = (uint)(prefix.Length + moovSize + 8);
    return Concat(prefix, BuildMoov(sampleOffset), Box("mdat", sample));
}

// The first tkhd (the video track's, as ffmpeg orders them) gets the matrix {0, 1, 0; -1, 0, 0; height, 0, 1}, which
// players read as "rotate 90 degrees clockwise", as phones write portrait clips.
static byte[] Rotate90(byte[] mp4)
{
    var tkhd = mp4.AsSpan().IndexOf("tkhd"u8) - 4;
    var matrix = mp4.AsSpan(tkhd + 48, 36);
    var height = BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(tkhd + 88)) >> 16;
    matrix.Clear();
    BinaryPrimitives.WriteUInt32BigEndian(matrix[4..], 0x00010000);
    BinaryPrimitives.WriteUInt32BigEndian(matrix[12..], 0xFFFF0000);
    BinaryPrimitives.WriteUInt32BigEndian(matrix[24..], height << 16);
    BinaryPrimitives.WriteUInt32BigEndian(matrix[32..], 0x40000000);
    return mp4;
}

// A 'meta' handler track with one 'mebx' sample entry that declares the key com.apple.quicktime.location.ISO6709.
static byte[] MetadataTrack(uint trackId, uint sampleOffset, int sampleSize)
{
    var zero4 = new byte[4];
    var tkhd = FullBox("tkhd", 0, 3, zero4, zero4, U32(trackId), zero4, U32(1000), new byte[8], new byte[4], new byte[4],
        Identity(), new byte[8]);
    var mdhd = FullBox("mdhd", 0, 0, zero4, zero4, U32(1000), U32(1000), new byte[] { 0x55, 0xC4, 0, 0 });
    var hdlr = FullBox("hdlr", 0, 0, zero4, Encoding.ASCII.GetBytes("meta"), new byte[12], Encoding.ASCII.GetBytes("Core Media Metadata\0"));
    var keyd = Box("keyd", Encoding.ASCII.GetBytes("mdta"), Encoding.ASCII.GetBytes("com.apple.quicktime.location.ISO6709"));
    var keys = Box("keys", Box("\0\0\0\u0001", keyd, Box("dtyp", zero4, U32(1))));
    var mebx = Box("mebx", new byte[6], new byte[] { 0, 1 }, keys);
    var stbl = Box("stbl",
        FullBox("stsd", 0, 0, U32(1), mebx),
        FullBox("stts", 0, 0, U32(1), U32(1), U32(1000)),
        FullBox("stsc", 0, 0, U32(1), U32(1), U32(1), U32(1)),
        FullBox("stsz", 0, 0, U32(0), U32(1), U32((uint)sampleSize)),
        FullBox("stco", 0, 0, U32(1), U32(sampleOffset)));
    var minf = Box("minf", FullBox("nmhd", 0, 0), Box("dinf", FullBox("dref", 0, 0, U32(1), FullBox("url ", 0, 1))), stbl);
    return Box("trak", tkhd, Box("mdia", mdhd, hdlr, minf));
}

static byte[] Identity()
{
    var m = new byte[36];
    BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(0), 0x00010000);
    BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(16), 0x00010000);
    BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(32), 0x40000000);
    return m;
}

// A QuickTime user-data string: 16-bit length, 16-bit language code, the text.
static byte[] QuickTimeString(string text) => Concat(new byte[] { (byte)(text.Length >> 8), (byte)text.Length, 0x15, 0xC7 }, Encoding.ASCII.GetBytes(text));

static List<(string Type, int Start, int End)> Children(byte[] data, int start, int end)
{
    var list = new List<(string, int, int)>();
    for (var p = start; p + 8 <= end;)
    {
        var size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p));
        list.Add((Encoding.Latin1.GetString(data, p + 4, 4), p, p + size));
        p += size;
    }

    return list;
}

static byte[] Box(string type, params byte[][] payload)
{
    var body = Concat(payload);
    return Concat(U32((uint)(8 + body.Length)), Encoding.Latin1.GetBytes(type), body);
}

static byte[] FullBox(string type, byte version, uint flags, params byte[][] payload) =>
    Box(type, [new byte[] { version, (byte)(flags >> 16), (byte)(flags >> 8), (byte)flags }, .. payload]);

static byte[] U32(uint value)
{
    var b = new byte[4];
    BinaryPrimitives.WriteUInt32BigEndian(b, value);
    return b;
}

static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
