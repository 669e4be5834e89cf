using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The text form of a fault rule, shared by the command line (<c>--fault</c>) and the control endpoint
/// (<c>POST /_sandbox/faults</c>): comma-separated <c>key=value</c> pairs, e.g.
/// <c>kind=status,status=429,retry-after=5,method=POST,path=/instances/,times=3</c>.
/// </summary>
/// <remarks>
/// Kinds: <c>status</c> (answer the status without applying; the default when only <c>status=</c> is given),
/// <c>applied</c> (apply, then answer the status), <c>delay</c> (wait, then answer), <c>stall</c> (send the
/// headers and half of the body, then nothing more), <c>reset</c> (drop the connection), <c>html</c> (502 HTML
/// page), <c>truncated</c> (200 with half a JSON body). Keys: <c>status</c>, <c>retry-after</c> (seconds;
/// <c>date:N</c> sends an HTTP date N seconds ahead; <c>none</c> sends no header), <c>method</c>, <c>path</c>
/// (substring of the URL path), <c>times</c>, <c>probability</c> (0–1), <c>delay</c> (25ms, 2s, 00:00:01),
/// <c>apply-first</c> (true/false: for delay and reset, apply the request before the fault).
/// </remarks>
public static class FaultSpec
{
    private static readonly Dictionary<string, FaultKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = FaultKind.Status,
        ["applied"] = FaultKind.AppliedThenStatus,
        ["delay"] = FaultKind.Delay,
        ["stall"] = FaultKind.StalledBody,
        ["reset"] = FaultKind.ConnectionReset,
        ["html"] = FaultKind.HtmlErrorPage,
        ["truncated"] = FaultKind.TruncatedJson,
    };

    /// <summary>The names <see cref="Parse"/> accepts for <c>kind=</c>.</summary>
    public static IReadOnlyCollection<string> KindNames => Kinds.Keys;

    /// <summary>The keys <see cref="Parse"/> accepts.</summary>
    /// <summary>The longest a delay or stall may last (the module's Add-WorkflowToolsSandboxFault checks the same).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(24);

    public static readonly IReadOnlyList<string> Keys = new[] { "kind", "status", "retry-after", "method", "path", "times", "probability", "delay", "apply-first" };

    /// <summary>Reads one rule; throws <see cref="FormatException"/> naming the key that is wrong.</summary>
    public static FaultRule Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("A fault needs at least kind= or status=.");
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"Fault '{text}': '{part}' is not key=value.");
            var key = part[..eq].Trim();
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new FormatException($"Fault '{text}': unknown key '{key}' (known: {string.Join(", ", Keys)}).");
            if (!pairs.TryAdd(key, part[(eq + 1)..].Trim())) throw new FormatException($"Fault '{text}': '{key}' is given twice.");
        }
        return FromPairs(text, pairs);
    }

    /// <summary>Reads a rule from a JSON object whose property names are the keys of <see cref="Parse"/>.</summary>
    public static FaultRule FromJson(JsonObject o)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in o)
        {
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new FormatException($"Unknown fault property '{key}' (known: {string.Join(", ", Keys)}).");
            if (value is null) continue;
            pairs[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        }
        return FromPairs(o.ToJsonString(), pairs);
    }

    private static FaultRule FromPairs(string text, Dictionary<string, string> pairs)
    {
        string Where(string key) => $"Fault '{text}': {key}";
        var rule = new FaultRule();
        if (pairs.TryGetValue("kind", out var kind))
        {
            if (!Kinds.TryGetValue(kind, out var k))
                throw new FormatException($"{Where("kind")} '{kind}' is not one of {string.Join(", ", Kinds.Keys)}.");
            rule.Kind = k;
        }
        else if (!pairs.ContainsKey("status"))
        {
            throw new FormatException($"Fault '{text}': give kind= ({string.Join(", ", Kinds.Keys)}) or status=.");
        }

        if (pairs.TryGetValue("status", out var status))
        {
            if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 100 || code > 599)
                throw new FormatException($"{Where("status")} '{status}' is not an HTTP status (100-599).");
            if (rule.Kind is not (FaultKind.Status or FaultKind.AppliedThenStatus))
                throw new FormatException($"{Where("status")} only goes with kind=status or kind=applied.");
            rule.StatusCode = code;
        }
        else if (rule.Kind is FaultKind.Status or FaultKind.AppliedThenStatus)
        {
            throw new FormatException($"{Where("status")} is needed for kind={kind}.");
        }

        if (pairs.TryGetValue("retry-after", out var retryAfter))
        {
            if (string.Equals(retryAfter, "none", StringComparison.OrdinalIgnoreCase)) rule.RetryAfter = "";
            else if (retryAfter.StartsWith("date:", StringComparison.OrdinalIgnoreCase)
                     && int.TryParse(retryAfter[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var ahead))
            {
                rule.RetryAfter = ahead.ToString(CultureInfo.InvariantCulture);
                rule.RetryAfterAsHttpDate = true;
            }
            else if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out _)) rule.RetryAfter = retryAfter;
            else throw new FormatException($"{Where("retry-after")} '{retryAfter}' is not seconds, date:<seconds> or none.");
        }

        if (pairs.TryGetValue("method", out var method))
        {
            if (method.Length == 0 || !method.All(char.IsAsciiLetter)) throw new FormatException($"{Where("method")} '{method}' is not an HTTP method.");
            rule.Method = method.ToUpperInvariant();
        }

        if (pairs.TryGetValue("path", out var path))
        {
            if (path.Length == 0) throw new FormatException($"{Where("path")} is empty.");
            rule.PathContains = path;
        }

        if (pairs.TryGetValue("times", out var times))
            rule.Times = int.TryParse(times, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
                ? t : throw new FormatException($"{Where("times")} '{times}' is not a positive number.");

        if (pairs.TryGetValue("probability", out var probability))
            rule.Probability = double.TryParse(probability, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p > 0 && p <= 1
                ? p : throw new FormatException($"{Where("probability")} '{probability}' is not a number above 0 and at most 1.");

        if (pairs.TryGetValue("delay", out var delay))
        {
            if (rule.Kind is not (FaultKind.Delay or FaultKind.StalledBody))
                throw new FormatException($"{Where("delay")} only goes with kind=delay or kind=stall.");
            try
            {
                rule.Delay = SandboxCommandLine.ParseLatency(delay);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{Where("delay")} '{delay}' is not a duration (25ms, 2s, 00:00:01).");
            }

            if (rule.Delay > MaxDelay)
                throw new FormatException($"{Where("delay")} '{delay}' is longer than {MaxDelay.TotalHours:0} hours, the longest a fault may wait.");
        }
        else if (rule.Kind == FaultKind.Delay)
        {
            throw new FormatException($"{Where("delay")} is needed for kind=delay.");
        }
        else if (rule.Kind == FaultKind.StalledBody)
        {
            rule.Delay = Timeout.InfiniteTimeSpan;
        }

        if (pairs.TryGetValue("apply-first", out var applyFirst))
        {
            if (!bool.TryParse(applyFirst, out var a)) throw new FormatException($"{Where("apply-first")} '{applyFirst}' is not true or false.");
            if (rule.Kind is not (FaultKind.Delay or FaultKind.ConnectionReset))
                throw new FormatException($"{Where("apply-first")} only goes with kind=delay or kind=reset.");
            rule.ApplyBeforeFault = a;
        }
        return rule;
    }

    /// <summary>The rule in the same key=value form <see cref="Parse"/> reads (for listings).</summary>
    public static string Format(FaultRule rule)
    {
        var name = Kinds.First(k => k.Value == rule.Kind).Key;
        var parts = new List<string> { "kind=" + name };
        if (rule.Kind is FaultKind.Status or FaultKind.AppliedThenStatus) parts.Add("status=" + rule.StatusCode.ToString(CultureInfo.InvariantCulture));
        if (rule.RetryAfter != null) parts.Add("retry-after=" + (rule.RetryAfter.Length == 0 ? "none" : rule.RetryAfterAsHttpDate ? "date:" + rule.RetryAfter : rule.RetryAfter));
        if (rule.Method != null) parts.Add("method=" + rule.Method);
        if (rule.PathContains != null) parts.Add("path=" + rule.PathContains);
        if (rule.Times != int.MaxValue) parts.Add("times=" + rule.Times.ToString(CultureInfo.InvariantCulture));
        if (rule.Probability < 1) parts.Add("probability=" + rule.Probability.ToString(CultureInfo.InvariantCulture));
        if (rule.Kind is FaultKind.Delay || (rule.Kind is FaultKind.StalledBody && rule.Delay != Timeout.InfiniteTimeSpan))
            parts.Add("delay=" + (long)rule.Delay.TotalMilliseconds + "ms");
        if (rule.ApplyBeforeFault) parts.Add("apply-first=true");
        return string.Join(",", parts);
    }
}
