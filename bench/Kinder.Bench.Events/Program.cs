using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kinder.Bench.Events;

// Kinder.Bench.Events: GET /events/discover and /events/search under load. See README "Benchmarks".
var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Clients + 8,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    AutomaticDecompression = DecompressionMethods.None,
})
{ BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };

Console.WriteLine($"Kinder.Bench.Events against {options.Api} — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
List<string> tokens;
try
{
    tokens = await SignInAsync(http, options);
}
catch (HttpRequestException exception)
{
    Console.Error.WriteLine($"The Api at {options.Api} does not answer ({exception.Message}): {Kinder.Bench.KinderStack.StartHint}");
    return 1;
}
if (tokens.Count == 0)
{
    Console.Error.WriteLine("No user could sign in: was ./kinder seed run against this stack?");
    return 1;
}

var report = new StringBuilder();
report.AppendLine($"| model | endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |");
report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
var failed = false;
foreach (var model in options.Models)
{
    foreach (var endpoint in options.Endpoints)
    {
        var label = model == LoadModel.Closed
            ? $"closed loop, {options.Clients} clients"
            : $"{options.Clients} clients, think time {options.ThinkTime.TotalMilliseconds:0} ms";
        Console.WriteLine();
        Console.WriteLine($"== {endpoint}: {label}; warm-up {options.Warmup.TotalSeconds:0}s, measured {options.Duration.TotalSeconds:0}s");
        if (options.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync(http, options, tokens, endpoint, model, options.Warmup, measure: false);
        }
        var loadBefore = LoadAverage();
        var stats = await RunPhaseAsync(http, options, tokens, endpoint, model, options.Duration, measure: true);
        // The machine may be shared: its load says how much else competed for the cores during the phase.
        Console.WriteLine($"   load average (1 min) {loadBefore} before, {LoadAverage()} after");
        Console.WriteLine($"   {"requests",-24} {"count",8} {"errors",7} {"p50",8} {"p95",8} {"p99",8} {"max",8} {"req/s",8}");
        foreach (var (name, recorder) in stats.Rows)
        {
            Console.WriteLine($"   {name,-24} {recorder.Count,8} {recorder.Errors,7} {recorder.Percentile(50),8:0.0} "
                + $"{recorder.Percentile(95),8:0.0} {recorder.Percentile(99),8:0.0} {recorder.Max,8:0.0} "
                + $"{recorder.Count / stats.Elapsed.TotalSeconds,8:0.0}");
            report.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {name} | {recorder.Count} | {recorder.Errors} | "
                + $"{recorder.Percentile(50):0.0} | {recorder.Percentile(95):0.0} | {recorder.Percentile(99):0.0} | "
                + $"{recorder.Max:0.0} | {recorder.Count / stats.Elapsed.TotalSeconds:0.0} |");
            failed |= recorder.Errors > 0;
        }
        foreach (var (status, count) in stats.ErrorSamples)
        {
            Console.WriteLine($"   errors: {count} × {status}");
        }
    }
}
Console.WriteLine();
Console.WriteLine("Latencies in ms from sending the request to the last byte of the answer, measured by this process on the "
    + "same machine (it takes CPU from the stack too). \"all\" is every request of the endpoint, \"first page\" the "
    + "ranked/searched ones, \"cursor page\" the follow-ups.");
if (options.MarkdownPath is { } path)
{
    await File.AppendAllTextAsync(path, $"\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, "
        + $"{options.Clients} clients, {options.Duration.TotalSeconds:0}s per phase after {options.Warmup.TotalSeconds:0}s warm-up\n\n"
        + report);
    Console.WriteLine($"Appended the table to {path}.");
}
return failed ? 1 : 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static async Task<List<string>> SignInAsync(HttpClient http, BenchOptions options)
{
    var watch = Stopwatch.StartNew();
    var random = new Random(options.Seed);
    // The admin endpoints need the admin: seed00001 onwards, in order (make-admin seed00001@seed.kinder.test first).
    var indices = options.Endpoints.Any(endpoint => endpoint is "dashboard" or "analytics")
        ? Enumerable.Range(1, options.Logins).ToList()
        : Enumerable.Range(1, options.SeededUsers).OrderBy(_ => random.Next()).Take(options.Logins).ToList();
    var tokens = new List<string>();
    var failures = 0;
    // bcrypt is deliberately slow: a few at a time.
    await Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (index, ct) =>
    {
        var email = $"seed{index.ToString("D5", CultureInfo.InvariantCulture)}@seed.kinder.test";
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login",
            new { email, password = options.Password }, ct);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failures);
            return;
        }
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var token = body.RootElement.GetProperty("accessToken").GetString()!;
        lock (tokens)
        {
            tokens.Add(token);
        }
    });
    Console.WriteLine($"Signed in {tokens.Count} of {indices.Count} seeded users in {watch.Elapsed.TotalSeconds:0.0}s"
        + (failures > 0 ? $" ({failures} failed)" : "") + ".");
    return tokens;
}

static async Task<PhaseStats> RunPhaseAsync(HttpClient http, BenchOptions options, List<string> tokens, string endpoint,
    LoadModel model, TimeSpan duration, bool measure)
{
    var first = new Recorder();
    var next = new Recorder();
    var errors = new Dictionary<string, int>();
    var watch = Stopwatch.StartNew();
    var deadline = watch.Elapsed + duration;
    var clients = Enumerable.Range(0, options.Clients).Select(async client =>
    {
        var random = new Random(HashCode.Combine(options.Seed, client, endpoint, model, measure));
        var token = tokens[client % tokens.Count];
        // Start spread out, as people do not all arrive in the same millisecond.
        if (model == LoadModel.Think)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * options.ThinkTime.TotalMilliseconds));
        }
        string? previous = null;
        string? cursor = null;
        while (watch.Elapsed < deadline)
        {
            // A third of the time, a client with a next page goes on to it; otherwise a new first page.
            var paging = cursor is not null && random.NextDouble() < 1 / 3.0;
            var path = paging
                ? Requests.Next(previous!, cursor!)
                : endpoint switch
                {
                    "discover" => Requests.Discover(random),
                    "users" => Requests.Users(random),
                    "dashboard" => Requests.Dashboard,
                    "analytics" => Requests.Analytics(),
                    _ => Requests.Search(random),
                };
            if (!paging)
            {
                previous = path;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", token);
            var started = Stopwatch.GetTimestamp();
            string? failure = null;
            string? nextCursor = null;
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(body);
                    nextCursor = json.RootElement.TryGetProperty("nextCursor", out var value) ? value.GetString() : null;
                }
                else
                {
                    failure = $"HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 160)))}";
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = exception.GetType().Name + ": " + exception.Message;
            }
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (measure)
            {
                (paging ? next : first).Add(elapsed, failure is not null);
                if (failure is not null)
                {
                    lock (errors)
                    {
                        errors[failure] = errors.GetValueOrDefault(failure) + 1;
                    }
                }
            }
            cursor = failure is null ? nextCursor : null;
            if (model == LoadModel.Think)
            {
                // Exponential pauses: a Poisson-like stream of requests per person.
                var pause = -Math.Log(1 - random.NextDouble()) * options.ThinkTime.TotalMilliseconds;
                var left = (deadline - watch.Elapsed).TotalMilliseconds;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, Math.Min(pause, left))));
            }
        }
    }).ToList();
    await Task.WhenAll(clients);
    var elapsed = watch.Elapsed;
    var all = Recorder.Merge(first, next);
    return new PhaseStats(elapsed,
        [($"{endpoint} (all)", all), ($"{endpoint} first page", first), ($"{endpoint} cursor page", next)],
        errors.OrderByDescending(pair => pair.Value).Take(5).Select(pair => (pair.Key, pair.Value)).ToList());
}

internal sealed record PhaseStats(TimeSpan Elapsed, List<(string Name, Recorder Recorder)> Rows,
    List<(string Status, int Count)> ErrorSamples);

/// <summary>Every latency of one kind of request (a few tens of thousands: kept whole, sorted once for percentiles).</summary>
internal sealed class Recorder
{
    private readonly List<double> _latencies = [];
    private List<double>? _sorted;

    public int Errors { get; private set; }
    public int Count => _latencies.Count;
    public double Max => Sorted().LastOrDefault();

    public void Add(double milliseconds, bool error)
    {
        lock (_latencies)
        {
            _latencies.Add(milliseconds);
            Errors += error ? 1 : 0;
            _sorted = null;
        }
    }

    public double Percentile(double p)
    {
        var sorted = Sorted();
        if (sorted.Count == 0)
        {
            return 0;
        }
        // Nearest rank.
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static Recorder Merge(Recorder a, Recorder b)
    {
        var merged = new Recorder();
        merged._latencies.AddRange(a._latencies);
        merged._latencies.AddRange(b._latencies);
        merged.Errors = a.Errors + b.Errors;
        return merged;
    }

    private List<double> Sorted() => _sorted ??= _latencies.Order().ToList();
}
