using System.Globalization;

namespace Kinder.Bench.Events;

/// <summary>The load models: closed loop (each client sends its next request as soon as the last answers) and
/// think time (each client waits a random, exponentially distributed pause between requests, like a person scrolling).</summary>
public enum LoadModel
{
    Closed,
    Think,
}

public sealed record BenchOptions(
    Uri Api,
    int Clients,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Logins,
    int SeededUsers,
    string Password,
    IReadOnlyList<LoadModel> Models,
    TimeSpan ThinkTime,
    IReadOnlyList<string> Endpoints,
    int Seed,
    string? MarkdownPath,
    bool Help)
{
    public const string Usage = """
        Usage: Kinder.Bench.Events [options]   (against the stack the AppHost runs, with ./kinder seed data)

          --api URL          the Api (default: the stack's, http://localhost:5080)
          --clients N        concurrent clients (default 50)
          --duration S       measured seconds per phase (default 30)
          --warmup S         unmeasured seconds before each phase (default 5)
          --model M          closed | think | both (default both): closed loop = no pause between a client's
                             requests (measures capacity: latency ≈ clients / throughput); think = a random
                             pause (exponential, mean --think-ms) between requests, like people scrolling
          --think-ms MS      mean think time of the think model (default 1000)
          --endpoints LIST   of discover, search, users (people search, GET /users/search), dashboard and
                             analytics (GET /admin/dashboard, GET /admin/analytics 90 days daily; these sign in
                             seed00001… in order: --logins 1 after make-admin seed00001@seed.kinder.test); default discover,search;
                             each gets its own phase
          --logins N         seeded users to sign in, spread over the clients (default 200)
          --users N          how many users the seed made (default 10000; emails seed00001@seed.kinder.test …)
          --password P       their password (default kinder-bench-1)
          --seed N           random seed of the request mix (default 7)
          --markdown FILE    also append the results as a Markdown table to FILE
        """ + KinderStack.Usage;

    public static BenchOptions? Parse(string[] args, out string error)
    {
        error = "";
        Uri api;
        try
        {
            api = KinderStack.Read(args, out args).Api;
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return null;
        }
        int clients = 50, logins = 200, users = 10_000, seed = 7;
        double duration = 30, warmup = 5, thinkMs = 1000;
        var password = "kinder-bench-1";
        IReadOnlyList<LoadModel> models = [LoadModel.Closed, LoadModel.Think];
        IReadOnlyList<string> endpoints = ["discover", "search"];
        string? markdown = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            static double Number(string value) => double.Parse(value, CultureInfo.InvariantCulture);
            try
            {
                switch (args[i])
                {
                    case "--api": api = new Uri(Next()); break;
                    case "--clients": clients = (int)Number(Next()); break;
                    case "--duration": duration = Number(Next()); break;
                    case "--warmup": warmup = Number(Next()); break;
                    case "--think-ms": thinkMs = Number(Next()); break;
                    case "--logins": logins = (int)Number(Next()); break;
                    case "--users": users = (int)Number(Next()); break;
                    case "--password": password = Next(); break;
                    case "--seed": seed = (int)Number(Next()); break;
                    case "--markdown": markdown = Next(); break;
                    case "--model":
                        models = Next() switch
                        {
                            "closed" => [LoadModel.Closed],
                            "think" => [LoadModel.Think],
                            "both" => [LoadModel.Closed, LoadModel.Think],
                            var other => throw new ArgumentException($"--model: closed, think or both, not {other}"),
                        };
                        break;
                    case "--endpoints":
                        endpoints = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (endpoints.Count == 0 || endpoints.Any(e => e is not ("discover" or "search" or "users" or "dashboard" or "analytics")))
                        {
                            throw new ArgumentException("--endpoints: a list of discover, search, users, dashboard, analytics");
                        }
                        break;
                    case "-h" or "--help":
                        return new BenchOptions(api, 0, default, default, 0, 0, "", [], default, [], 0, null, Help: true);
                    default:
                        error = $"Unknown argument: {args[i]}";
                        return null;
                }
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException
                or UriFormatException)
            {
                error = exception.Message;
                return null;
            }
        }
        if (clients < 1 || duration <= 0 || warmup < 0 || thinkMs < 0 || logins < 1 || users < 1)
        {
            error = "--clients, --duration, --logins and --users are positive; --warmup and --think-ms 0 or more.";
            return null;
        }
        return new BenchOptions(api, clients, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup),
            Math.Min(logins, users), users, password, models, TimeSpan.FromMilliseconds(thinkMs), endpoints, seed,
            markdown, Help: false);
    }
}
