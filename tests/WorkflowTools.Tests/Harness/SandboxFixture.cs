using System.Management.Automation;
using System.Threading.Tasks;
using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Harness
{
    /// <summary>
    /// One sandbox and one connected PowerShell session per test class. Tests in a class run one after
    /// another, so each can look at the requests it caused with <see cref="RequestsSince"/>.
    /// </summary>
    public class SandboxFixture : IAsyncLifetime
    {
        public SandboxServer Sandbox { get; private set; } = null!;

        public PsSession Session { get; private set; } = null!;

        protected virtual SandboxOptions Options => new SandboxOptions();

        public async Task InitializeAsync()
        {
            Sandbox = await SandboxServer.StartAsync(Options);
            Session = new PsSession();
            Session.ConnectTo(Sandbox);
        }

        public async Task DisposeAsync()
        {
            Session?.Dispose();
            if (Sandbox != null)
            {
                await Sandbox.DisposeAsync();
            }
        }

        /// <summary>A mark in the request log; pass it to <see cref="RequestsSince"/>.</summary>
        public long Mark() => Sandbox.Requests.All.Count == 0 ? 0 : Sandbox.Requests.All.Max(r => r.Sequence);

        public List<RecordedRequest> RequestsSince(long mark) => Sandbox.Requests.All.Where(r => r.Sequence > mark).OrderBy(r => r.Sequence).ToList();
    }

    public static class PsObjectExtensions
    {
        /// <summary>A property's value converted as PowerShell would.</summary>
        public static T P<T>(this PSObject o, string name)
        {
            var property = o.Properties[name] ?? throw new InvalidOperationException($"{o.BaseObject.GetType().Name} has no property {name}");
            return (T)LanguagePrimitives.ConvertTo(property.Value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }

        public static object? P(this PSObject o, string name) => o.Properties[name]?.Value;

        public static string TypeName(this PSObject o) => o.BaseObject.GetType().FullName!;
    }
}
