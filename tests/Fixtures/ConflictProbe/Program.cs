// Usage: ConflictProbe <path to WorkflowTools.psd1>
// Exit 0 when WorkflowTools imports and retries through its own Polly while Polly.Core 8.1 is in use.
using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using WorkflowTools.Sandbox;

var olderPolly = typeof(Polly.ResiliencePipeline).Assembly.GetName();
Console.WriteLine($"host Polly.Core: {olderPolly.Version}");

await using var sandbox = await SandboxServer.StartAsync();
sandbox.Faults.Add(new FaultRule { Method = "GET", PathContains = "/instances/", Kind = FaultKind.Status, StatusCode = 503, RetryAfter = "0", Times = 1 });

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
var key = new SecureString();
foreach (var c in sandbox.NextMatterApiKey) key.AppendChar(c);
runspace.SessionStateProxy.SetVariable("key", key);
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript($@"
    Import-Module '{args[0]}' -ErrorAction Stop
    Connect-NmService -BaseUri '{sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0
    $id = (New-NmInstance -ProcessId 1 -Name 'Conflict probe').Id
    Get-NmInstance -Id $id -Verbose 4>&1
");
var output = ps.Invoke();
foreach (var o in output) Console.WriteLine(o);
foreach (var e in ps.Streams.Error) Console.WriteLine("ERROR: " + e);

foreach (var a in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name is "Polly.Core" or "WorkflowTools.Core" or "WorkflowTools" or "Microsoft.Bcl.AsyncInterfaces"))
{
    Console.WriteLine($"{a.GetName().Name} {a.GetName().Version} in '{System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a)?.Name}' from {a.Location}");
}

var pollys = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Polly.Core").Select(a => a.Location).Distinct().ToArray();
var isolated = pollys.Any(p => p.Contains("Dependencies", StringComparison.Ordinal));
Console.WriteLine($"Polly.Core copies loaded: {pollys.Length}, WorkflowTools' own isolated: {isolated}");
var retried = output.Any(o => o.ToString().Contains("attempt 2", StringComparison.Ordinal));
var got = output.Any(o => o.BaseObject.GetType().Name == "NmInstance");
Console.WriteLine($"retried: {retried}, instance: {got}");
return ps.Streams.Error.Count == 0 && retried && got && pollys.Length == 2 && isolated ? 0 : 1;
