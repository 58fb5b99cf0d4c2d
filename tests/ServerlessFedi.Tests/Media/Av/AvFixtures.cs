using System.Buffers.Binary;
using System.Text;
using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Tests.Media.Av;

/// <summary>Reading helpers for the committed video and audio files (Fixtures/, made by Fixtures/make-av-fixtures.cs).</summary>
internal static class AvFixtures
{
    /// <summary>Strings the fixtures carry as metadata (made up in make-av-fixtures.cs); none may survive stripping.</summary>
    public static readonly string[] PersonalStrings = ["52.5200", "Jane", "iPhone", "17.4.1", "xmpmeta", "Front camera", "recorder", "Shot at"];

    public static byte[] Read(string name) => MediaFixtures.Read(name);

    public static IReadOnlyList<string> Survivors(byte[] data) => PersonalStrings.Where(s => MediaFixtures.Contains(data, s)).ToList();

    /// <summary>The box at the path (e.g. <c>moov</c>, <c>trak</c>) — each step the first child of that type.</summary>
    public static IsoBox? Box(byte[] data, params string[] path)
    {
        IsoBox? current = null;
        foreach (var type in path)
        {
            var (start, end) = current is { } c ? (c.PayloadStart, c.End) : (0, data.Length);
            current = IsoBox.Children(data, start, end)?.FirstOrDefault(b => b.Type == type) is { Type: not null } found ? found : null;
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static List<IsoBox> Children(byte[] data, IsoBox box) => IsoBox.Children(data, box.PayloadStart, box.End)!;

    /// <summary>Every track's handler type and its chunk offsets (stco or co64), in file order.</summary>
    public static List<(string Handler, long[] ChunkOffsets)> Tracks(byte[] data)
    {
        var list = new List<(string, long[])>();
        foreach (var trak in Children(data, Box(data, "moov")!.Value).Where(b => b.Type == "trak"))
        {
            var mdia = Children(data, trak).Single(b => b.Type == "mdia");
            var hdlr = Children(data, mdia).Single(b => b.Type == "hdlr");
            var stbl = Children(data, Children(data, mdia).Single(b => b.Type == "minf")).Single(b => b.Type == "stbl");
            var offsets = Children(data, stbl).Single(b => b.Type is "stco" or "co64");
            var count = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offsets.PayloadStart + 4));
            var values = Enumerable.Range(0, (int)count).Select(i => offsets.Type == "stco"
                ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offsets.PayloadStart + 8 + (i * 4)))
                : (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(offsets.PayloadStart + 8 + (i * 8)))).ToArray();
            list.Add((Encoding.Latin1.GetString(data, hdlr.PayloadStart + 8, 4), values));
        }

        return list;
    }
}
