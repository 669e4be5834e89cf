using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace WorkflowTools.Sandbox;

/// <summary>
/// <c>dotnet run --project src/WorkflowTools.Sandbox [-- --port 5080 --rate-limit 100 --latency 25ms --no-seed --listing 100000]</c>:
/// starts the sandbox on 127.0.0.1 with a real-time clock until Ctrl+C.
/// </summary>
public static class SandboxCommandLine
{
    /// <summary>Default CLI port.</summary>
    public const int DefaultPort = 5080;

    /// <summary>Runs the CLI; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        SandboxOptions options;
        try
        {
            var parsed = Parse(args);
            if (parsed == null)
            {
                Console.WriteLine(Usage);
                return 0;
            }
            options = parsed;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (SeedFileException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        SandboxServer started;
        try
        {
            started = await SandboxServer.StartAsync(options);
        }
        catch (System.IO.IOException e)
        {
            Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message} (try --port 0 for a free port)");
            return 1;
        }
        await using var server = started;
        SandboxCommandLineExtras.Started(server);
        Console.WriteLine("WorkflowTools sandbox running (127.0.0.1 only). Ctrl+C stops it.");
        Console.WriteLine($"  Next Matter base URI : {server.NextMatterBaseUri}");
        Console.WriteLine($"  Next Matter API key  : {server.NextMatterApiKey}   (second user: {NextMatterStore.OtherUserApiKey})");
        Console.WriteLine($"  ProcessMaker instance: {server.ProcessMakerInstanceUri}   (API: {server.ProcessMakerBaseUri})");
        Console.WriteLine($"  ProcessMaker token   : {server.ProcessMakerToken}   (ordinary user: {ProcessMakerStore.UserToken})");
        Console.WriteLine($"  Control token        : {server.ControlToken}   (header {SandboxAccess.TokenHeader} on every /_sandbox/ request)");
        Console.WriteLine($"  OAuth                : POST {server.ProcessMakerInstanceUri}oauth/token  client {ProcessMakerStore.OAuthClientId}/{ProcessMakerStore.OAuthClientSecret}, user admin/admin");
        Console.WriteLine();
        Console.WriteLine("Example:");
        Console.WriteLine($"  Connect-NmService -BaseUri {server.NextMatterBaseUri} -ApiKey (ConvertTo-SecureString '{server.NextMatterApiKey}' -AsPlainText -Force)");
        Console.WriteLine($"  Connect-PmServer -BaseUri {server.ProcessMakerInstanceUri} -AccessToken (ConvertTo-SecureString '{server.ProcessMakerToken}' -AsPlainText -Force)");
        await server.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Usage text.</summary>
    public const string Usage = "Usage: WorkflowTools.Sandbox [--port N (default 5080, 0 = random)] [--rate-limit N per minute] [--latency 25ms|1s|00:00:01] [--no-seed] [--listing N (workflow 900 with N running instances)] [--slim-rows (Next Matter listings answer {id, name, status, public_url} rows)]" + SandboxCommandLineExtras.Usage;

    /// <summary>Parses the arguments; null means "print usage". Throws <see cref="FormatException"/> on bad input, <see cref="SeedFileException"/> on a bad seed file.</summary>
    public static SandboxOptions? Parse(string[] args)
    {
        // A sandbox started by hand runs on the wall clock from now, so runtimes a client works out from
        // its own clock (instances created a moment ago) agree with the ones the sandbox reports.
        var options = new SandboxOptions { Port = DefaultPort, RealTimeClock = true, ClockStart = DateTimeOffset.UtcNow };
        string? seedPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            if (SandboxCommandLineExtras.TryParse(args[i], Value, options, ref seedPath)) continue;
            switch (args[i])
            {
                case "--port":
                    options.Port = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535 ? p : throw new FormatException("--port needs a number 0-65535.");
                    break;
                case "--rate-limit":
                    options.RateLimitPerMinute = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : throw new FormatException("--rate-limit needs a positive number.");
                    break;
                case "--latency":
                    options.Latency = ParseLatency(Value());
                    break;
                case "--listing":
                    options.ListingInstances = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : throw new FormatException("--listing needs a positive number of instances.");
                    break;
                case "--slim-rows":
                    options.SlimListRows = true;
                    break;
                case "--no-seed":
                    options.SeedData = false;
                    break;
                case "-h" or "--help" or "-?":
                    return null;
                default:
                    throw new FormatException($"Unknown argument '{args[i]}'.");
            }
        }
        SandboxCommandLineExtras.Finish(options, seedPath);
        return options;
    }

    /// <summary>"25ms", "2s", "250" (milliseconds) or a TimeSpan such as "00:00:01".</summary>
    public static TimeSpan ParseLatency(string text)
    {
        var m = Regex.Match(text, @"^([0-9]+(?:\.[0-9]+)?)(ms|s)?$");
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value == "s" ? TimeSpan.FromSeconds(n) : TimeSpan.FromMilliseconds(n);
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.Zero) return t;
        throw new FormatException($"--latency: cannot read '{text}' (use 25ms, 2s or 00:00:01).");
    }
}
