using System.Diagnostics;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The other half of a delivery's floor beside RSA signing: one POST of the delivery's body to the loopback sink over a
/// kept-alive connection, serially, in ten rounds (the median round is reported, as for signing). The request carries
/// a Signature header made once, so the sink counts it as signed; nothing else of the product runs.
/// </summary>
public static class LoopbackPostBenchmark
{
    private const int Warmup = 20;
    private const int Rounds = 10;

    public static async Task<LoopbackPostTimings> MeasureAsync(Uri inbox, byte[] body, int count)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        await TimeAsync(client, inbox, body, Warmup, newConnection: false);
        var perRound = Math.Max(1, count / Rounds);
        var wall = new List<double>(Rounds);
        var cpu = new List<double>(Rounds);
        var fresh = new List<double>(Rounds);
        var freshCpu = new List<double>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            wall.Add(await TimeAsync(client, inbox, body, perRound, newConnection: false));
            cpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / perRound);
            cpuBefore = Environment.CpuUsage.TotalTime;
            fresh.Add(await TimeAsync(client, inbox, body, perRound, newConnection: true));
            freshCpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / perRound);
        }

        return new LoopbackPostTimings(perRound * Rounds, Median(wall), Median(cpu), Median(fresh), Median(freshCpu));
    }

    private static async Task<double> TimeAsync(HttpClient client, Uri inbox, byte[] body, int count, bool newConnection)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
            request.Headers.ConnectionClose = newConnection;
            request.Headers.TryAddWithoutValidation("Signature", "keyId=\"floor\",signature=\"\"");
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        return watch.Elapsed.TotalMicroseconds / count;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
