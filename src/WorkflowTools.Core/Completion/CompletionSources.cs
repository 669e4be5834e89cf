using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Completion
{
    /// <summary>What Tab offers for -ProcessId and -StartEvent, read from the server through a connection and cached on it.</summary>
    internal static class CompletionSources
    {
        /// <summary>Workflow names looked up per Tab press at most; the rest show their id alone until cached.</summary>
        public const int MaxNameLookups = 10;

        /// <summary>Next Matter workflows: the ids this session met (see <see cref="SeenWorkflows"/>), named by GET processes/{id}/.</summary>
        public static async Task<IReadOnlyList<CompletionCandidate>> NmProcessesAsync(NmConnection connection, CancellationToken cancellationToken)
        {
            var cache = ConnectionCaches.For(connection);
            var result = new List<CompletionCandidate>();
            var lookups = 0;
            foreach (var id in SeenWorkflows.For(connection.BaseUri))
            {
                var key = "nm:process:" + Id(id);
                string? name = null;
                if (cache.TryGet(key, out var cached))
                {
                    name = (string)cached;
                }
                else if (lookups < MaxNameLookups && !cancellationToken.IsCancellationRequested)
                {
                    lookups++;
                    try
                    {
                        name = (await connection.Client.GetProcessAsync(id, cancellationToken).ConfigureAwait(false)).Name ?? string.Empty;
                    }
                    catch (ApiException)
                    {
                        // Gone or not visible: offer the id without a name, and do not ask again for a while.
                        name = string.Empty;
                    }
                    catch (OperationCanceledException)
                    {
                        name = null;
                    }

                    if (name != null)
                    {
                        cache.Set(key, name);
                    }
                }

                result.Add(new CompletionCandidate(Id(id), name));
            }

            return result;
        }

        /// <summary>ProcessMaker processes the user may start (GET start_processes), with their startable events.</summary>
        public static async Task<IReadOnlyList<PmProcess>> PmStartableProcessesAsync(PmConnection connection, CancellationToken cancellationToken)
        {
            var cache = ConnectionCaches.For(connection);
            var value = await cache.GetOrAddAsync("pm:start_processes", async ct =>
            {
                var list = new List<PmProcess>();
                var pages = connection.Client.ListStartableProcessesAsync(new PmProcessQuery { PageSize = 100, SortByName = true });
                await foreach (var process in pages.WithCancellation(ct).ConfigureAwait(false))
                {
                    list.Add(process);
                    if (list.Count >= 1000)
                    {
                        break;
                    }
                }

                return (object)list;
            }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<PmProcess>)value;
        }

        public static async Task<IReadOnlyList<CompletionCandidate>> PmProcessesAsync(PmConnection connection, CancellationToken cancellationToken) =>
            (await PmStartableProcessesAsync(connection, cancellationToken).ConfigureAwait(false))
                .OrderBy(p => p.Id)
                .Select(p => new CompletionCandidate(Id(p.Id), p.Name))
                .ToList();

        /// <summary>The start events of one process that the user may trigger: from start_processes, else GET processes/{id}?include=events.</summary>
        public static async Task<IReadOnlyList<CompletionCandidate>> PmStartEventsAsync(PmConnection connection, long processId, CancellationToken cancellationToken)
        {
            IEnumerable<PmStartEvent>? events = null;
            try
            {
                events = (await PmStartableProcessesAsync(connection, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Id == processId)?.StartEvents;
            }
            catch (ApiException)
            {
                // Fall back to the process itself below.
            }

            if (events == null)
            {
                var cache = ConnectionCaches.For(connection);
                var process = await cache.GetOrAddAsync("pm:process:" + Id(processId), async ct => (object?)await connection.Client.GetProcessAsync(processId, ct).ConfigureAwait(false) ?? string.Empty, cancellationToken).ConfigureAwait(false);
                events = (process as PmProcess)?.StartEvents ?? Enumerable.Empty<PmStartEvent>();
            }

            return events.Select(e => new CompletionCandidate(e.Id, e.Name)).ToList();
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
