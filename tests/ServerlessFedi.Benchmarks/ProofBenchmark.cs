using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The CPU cost of FEP-8b32 <c>eddsa-jcs-2022</c> proofs on the activity the fan-out sends: <see cref="ActivitySigner"/>
/// (copy, RFC 8785 canonicalization of proof options and activity, two SHA-256, one Ed25519 signature) and
/// <see cref="ObjectIntegrityProof.Verify"/> on the signed JSON as an inbox parses it. Serial on one thread after a
/// warm-up, median of ten rounds, as <see cref="SignatureBenchmark"/> does. No storage is touched.
/// </summary>
public static class ProofBenchmark
{
    private const int Warmup = 50;
    private const int Rounds = 10;

    public static ProofTimings Measure(LocalAccount account, InstanceUrls urls, JsonObject activity, int count)
    {
        var signer = new ActivitySigner(urls, TimeProvider.System);
        var signed = signer.Sign(account, activity).ToJsonString();
        using var doc = JsonDocument.Parse(signed);
        var root = doc.RootElement;
        var key = new PublicKeyMaterial(urls.ActorEd25519Key(account.Username), urls.Actor(account.Username), null, account.Ed25519PublicKey);
        if (ObjectIntegrityProof.Verify(root, root.GetProperty("proof"), key, DateTimeOffset.UtcNow) is not ProofVerification.Verified)
        {
            throw new InvalidOperationException("the benchmark's own proof does not verify");
        }

        void Create() => signer.Sign(account, activity);
        void Verify() => ObjectIntegrityProof.Verify(root, root.GetProperty("proof"), key, DateTimeOffset.UtcNow);

        Time(Create, Warmup);
        Time(Verify, Warmup);
        var perRound = Math.Max(1, count / Rounds);
        var creates = new List<double>(Rounds);
        var verifies = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            creates.Add(Time(Create, perRound));
            verifies.Add(Time(Verify, perRound));
        }

        return new ProofTimings(perRound * Rounds, System.Text.Encoding.UTF8.GetByteCount(signed), Median(creates), Median(verifies));
    }

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
}
