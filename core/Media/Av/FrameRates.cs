namespace ServerlessFedi.Media.Av;

/// <summary>Frame rates as the fractions ffprobe reports and Mastodon shows (<c>meta.original.frame_rate</c>: <c>"30/1"</c>, <c>"30000/1001"</c>).</summary>
public static class FrameRates
{
    /// <summary><paramref name="frames"/> over <paramref name="duration"/> time units of <paramref name="timescale"/> per second, reduced.</summary>
    public static (long Numerator, long Denominator) FromCount(long frames, long duration, long timescale)
    {
        if (frames <= 0 || duration <= 0 || timescale <= 0)
        {
            return (0, 0);
        }

        // frames * timescale stays far below 2^63 for every count a 99 MB file can hold.
        return Snap(Reduce(frames * timescale, duration));
    }

    /// <summary>
    /// A measured rate close to a whole number, or to N/1.001 (NTSC), is that number: timestamps in milliseconds make a
    /// 30 fps clip measure as 29.99. Other rates stay as measured.
    /// </summary>
    public static (long Numerator, long Denominator) Snap((long Numerator, long Denominator) rate)
    {
        if (rate.Denominator <= 0 || rate.Numerator <= 0)
        {
            return (0, 0);
        }

        var fps = rate.Numerator / (double)rate.Denominator;
        var whole = Math.Round(fps);
        var ntsc = Math.Round(fps * 1.001) * 1000;
        var wholeError = Math.Abs(fps - whole);
        var ntscError = Math.Abs(fps - (ntsc / 1001));
        if (whole >= 1 && wholeError <= ntscError && wholeError <= 0.005 * fps)
        {
            return ((long)whole, 1);
        }

        if (ntsc >= 1000 && ntscError <= 0.005 * fps)
        {
            return Reduce((long)ntsc, 1001);
        }

        return rate;
    }

    public static (long Numerator, long Denominator) Reduce(long numerator, long denominator)
    {
        var a = Math.Abs(numerator);
        var b = Math.Abs(denominator);
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a == 0 ? (0, 0) : (numerator / a, denominator / a);
    }
}
