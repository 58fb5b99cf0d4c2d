namespace ServerlessFedi.Media;

/// <summary>
/// BlurHash encoder (the algorithm described in woltapp/blurhash Algorithm.md): a DCT of the image in linear light,
/// the DC term as 24-bit sRGB and the AC terms quantised to 19 levels per channel, all in base 83.
/// </summary>
public static class BlurHash
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    private static readonly double[] SrgbToLinearTable = BuildLinearTable();

    /// <summary>
    /// Encodes <paramref name="width"/>x<paramref name="height"/> pixels given as RGBA (or RGBX) bytes, row by row
    /// (<paramref name="bytesPerRow"/> apart); alpha is ignored as in the reference encoder. Components are 1 to 9 each.
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> rgba, int width, int height, int bytesPerRow, int componentsX = 4, int componentsY = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(componentsX, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentsX, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentsY, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentsY, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgba.Length < ((height - 1) * bytesPerRow) + (width * 4))
        {
            throw new ArgumentException("The pixel buffer is smaller than the dimensions say.", nameof(rgba));
        }

        // cos(pi * i * x / width) for every component and column, and likewise for rows.
        var cosX = new double[componentsX * width];
        for (var i = 0; i < componentsX; i++)
        {
            for (var x = 0; x < width; x++)
            {
                cosX[(i * width) + x] = Math.Cos(Math.PI * i * x / width);
            }
        }

        var cosY = new double[componentsY * height];
        for (var j = 0; j < componentsY; j++)
        {
            for (var y = 0; y < height; y++)
            {
                cosY[(j * height) + y] = Math.Cos(Math.PI * j * y / height);
            }
        }

        var factors = new double[componentsX * componentsY * 3];
        for (var y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * bytesPerRow, width * 4);
            for (var x = 0; x < width; x++)
            {
                var r = SrgbToLinearTable[row[x * 4]];
                var g = SrgbToLinearTable[row[(x * 4) + 1]];
                var b = SrgbToLinearTable[row[(x * 4) + 2]];
                for (var j = 0; j < componentsY; j++)
                {
                    var cy = cosY[(j * height) + y];
                    for (var i = 0; i < componentsX; i++)
                    {
                        var basis = cosX[(i * width) + x] * cy;
                        var f = ((j * componentsX) + i) * 3;
                        factors[f] += basis * r;
                        factors[f + 1] += basis * g;
                        factors[f + 2] += basis * b;
                    }
                }
            }
        }

        for (var k = 0; k < componentsX * componentsY; k++)
        {
            var normalisation = k == 0 ? 1.0 : 2.0;
            var scale = normalisation / (width * (double)height);
            factors[k * 3] *= scale;
            factors[(k * 3) + 1] *= scale;
            factors[(k * 3) + 2] *= scale;
        }

        var hash = new System.Text.StringBuilder(4 + (2 * componentsX * componentsY));
        Base83((componentsX - 1) + ((componentsY - 1) * 9), 1, hash);

        double maximumValue;
        if (componentsX * componentsY > 1)
        {
            var actualMaximum = 0.0;
            for (var k = 3; k < factors.Length; k++)
            {
                actualMaximum = Math.Max(actualMaximum, Math.Abs(factors[k]));
            }

            var quantisedMaximum = (int)Math.Clamp(Math.Floor((actualMaximum * 166) - 0.5), 0, 82);
            maximumValue = (quantisedMaximum + 1) / 166.0;
            Base83(quantisedMaximum, 1, hash);
        }
        else
        {
            maximumValue = 1;
            Base83(0, 1, hash);
        }

        Base83((LinearToSrgb(factors[0]) << 16) + (LinearToSrgb(factors[1]) << 8) + LinearToSrgb(factors[2]), 4, hash);
        for (var k = 1; k < componentsX * componentsY; k++)
        {
            var r = QuantiseAc(factors[k * 3], maximumValue);
            var g = QuantiseAc(factors[(k * 3) + 1], maximumValue);
            var b = QuantiseAc(factors[(k * 3) + 2], maximumValue);
            Base83((r * 19 * 19) + (g * 19) + b, 2, hash);
        }

        return hash.ToString();
    }

    private static int QuantiseAc(double value, double maximumValue)
    {
        var v = value / maximumValue;
        var signedRoot = Math.Sign(v) * Math.Sqrt(Math.Abs(v));
        return (int)Math.Clamp(Math.Floor((signedRoot * 9) + 9.5), 0, 18);
    }

    private static int LinearToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308
            ? (int)((v * 12.92 * 255) + 0.5)
            : (int)((((1.055 * Math.Pow(v, 1 / 2.4)) - 0.055) * 255) + 0.5);
    }

    private static double[] BuildLinearTable()
    {
        var table = new double[256];
        for (var i = 0; i < 256; i++)
        {
            var v = i / 255.0;
            table[i] = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        return table;
    }

    private static void Base83(int value, int length, System.Text.StringBuilder into)
    {
        for (var i = 1; i <= length; i++)
        {
            var digit = value / (int)Math.Pow(83, length - i) % 83;
            into.Append(Alphabet[digit]);
        }
    }
}
