using System;
using System.Collections.Generic;

namespace WorkflowTools.Sandbox;

/// <summary>Settings of one sandbox server. Every property has a test-friendly default.</summary>
public sealed class SandboxOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a random free port (tests), the CLI uses 5080.</summary>
    public int Port { get; set; } = 0;

    /// <summary>Next Matter API key (prefix.secret form) accepted as <c>Authorization: Api-Key &lt;key&gt;</c>.</summary>
    public string NextMatterApiKey { get; set; } = "sandbox.nextmatter-api-key";

    /// <summary>ProcessMaker bearer token of the administrator user.</summary>
    public string ProcessMakerToken { get; set; } = "sandbox-processmaker-token";

    /// <summary>Load the deterministic demo data set described in <see cref="SeedData"/>.</summary>
    public bool SeedData { get; set; } = true;

    /// <summary>
    /// Adds Next Matter workflow <see cref="ListingProcessId"/> ("Listing", one step) with this many running
    /// instances, for paging and streaming work (the benchmarks' out-of-process sandbox). 0 (default) = none.
    /// </summary>
    public int ListingInstances { get; set; }

    /// <summary>The workflow that <see cref="ListingInstances"/> fills.</summary>
    public const long ListingProcessId = 900;

    /// <summary>Initial time of the sandbox clock; default 2026-01-05T09:00:00Z.</summary>
    public DateTimeOffset? ClockStart { get; set; }

    /// <summary>Next Matter only: answer 429 with Retry-After past this many requests per sliding minute (sandbox clock).</summary>
    public int? RateLimitPerMinute { get; set; }

    /// <summary>Next Matter only: answer 429 past this many requests per sliding hour (sandbox clock).</summary>
    public int? RateLimitPerHour { get; set; }

    /// <summary>Whether a rate-limit 429 carries Retry-After (Next Matter does not document one); default true.</summary>
    public bool RateLimitRetryAfter { get; set; } = true;

    /// <summary>
    /// Next Matter only: answer <c>GET processes/{id}/instances/</c> with slim rows <c>{id, name, status, public_url}</c>, the
    /// only shape Next Matter's public examples show for that listing (the default rows carry every detail field).
    /// </summary>
    public bool SlimListRows { get; set; }

    /// <summary>Delay added before every API response (both platforms).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Delay added once per new TCP connection before its first request is read: models the handshakes
    /// (TCP, TLS) a client pays for every new connection to a remote service. Zero (default) = none.
    /// </summary>
    public TimeSpan ConnectionLatency { get; set; } = TimeSpan.Zero;

    /// <summary>When true the clock follows wall time from <see cref="ClockStart"/> (used by the CLI); tests keep it frozen.</summary>
    public bool RealTimeClock { get; set; } = false;

    /// <summary>Lifetime of access tokens issued by the ProcessMaker OAuth endpoint (sandbox clock).</summary>
    public TimeSpan OAuthTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Data from a seed file (<see cref="SeedDocument.LoadFile"/>); replaces the demo data unless the file asks for both.</summary>
    public SeedDocument? Seed { get; set; }

    /// <summary>Where <see cref="Seed"/> came from (shown by the health endpoint); null = no seed file.</summary>
    public string? SeedSource { get; set; }

    /// <summary>Fault rules active from the first request (the CLI's <c>--fault</c>).</summary>
    public List<FaultRule> Faults { get; } = new();

    /// <summary>Seed of the fault injector's random source (rules with a probability); null = its default.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>CLI only: once listening, write the addresses and credentials as JSON to this file (for launchers).</summary>
    public string? ReadyFile { get; set; }

    /// <summary>CLI only: stop when the process with this id ends (the PowerShell session that started the sandbox).</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>Default clock start: Monday 2026-01-05 09:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultClockStart = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
}
