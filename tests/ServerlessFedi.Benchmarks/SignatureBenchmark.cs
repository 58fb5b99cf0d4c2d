using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The cost of signing alone, in the same process as the deliveries: <see cref="HttpSignatureSigner"/> signing the same
/// POST a delivery sends (digest of the body, signing string, RSA-2048 PKCS#1 v1.5 SHA-256, headers), and the bare
/// <see cref="RSA.SignData(byte[], HashAlgorithmName, RSASignaturePadding)"/> inside it. Serial on one thread after a
/// warm-up, in ten alternating rounds; the median round is reported, so a burst of load elsewhere on the machine skews
/// one round rather than the result.
/// </summary>
public static class SignatureBenchmark
{
    private const int Warmup = 50;
    private const int Rounds = 10;

    public static SignatureTimings Measure(string privateKeyPem, string keyId, Uri inbox, byte[] body, int count)
    {
        var signer = new HttpSignatureSigner();
        var key = new SigningKey(keyId, privateKeyPem);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var signingString = Encoding.UTF8.GetBytes(
            $"(request-target): post {inbox.PathAndQuery}\nhost: {inbox.Authority}\ndate: {DateTimeOffset.UtcNow:r}\ndigest: SHA-256={Convert.ToBase64String(SHA256.HashData(body))}");
        void SignRequest() => SignOnce(signer, key, inbox, body);
        void SignBytes() => rsa.SignData(signingString, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Time(SignRequest, Warmup);
        Time(SignBytes, Warmup);
        var perRound = Math.Max(1, count / Rounds);
        var signerRounds = new List<double>(Rounds);
        var signerCpu = new List<double>(Rounds);
        var rsaRounds = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            signerRounds.Add(Time(SignRequest, perRound));
            signerCpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / perRound);
            rsaRounds.Add(Time(SignBytes, perRound));
        }

        return new SignatureTimings(perRound * Rounds, Median(signerRounds), Median(rsaRounds), Median(signerCpu));
    }

    /// <summary>Microseconds per call of <paramref name="action"/>, over <paramref name="count"/> calls.</summary>
    private static double Time(Action action, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            action();
        }

        return watch.Elapsed.TotalMicroseconds / count;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static void SignOnce(HttpSignatureSigner signer, SigningKey key, Uri inbox, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        signer.Sign(request, body, key, DateTimeOffset.UtcNow);
    }
}
