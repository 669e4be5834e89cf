using System;
using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Completion
{
    /// <summary>
    /// The Next Matter workflows this process has met, per API base URL, most recent first. Next Matter
    /// documents no endpoint that lists workflows, so -ProcessId completion offers the ids of workflows
    /// whose instances were created or read (every instance names its workflow's URL), and asks
    /// GET processes/{id}/ for their names. Only ids are kept, never data; at most 200 per base URL.
    /// </summary>
    internal static class SeenWorkflows
    {
        private const int Capacity = 200;
        private const string Marker = "processes/";
        private static readonly Dictionary<string, List<long>> ByBase = new Dictionary<string, List<long>>(StringComparer.OrdinalIgnoreCase);
        private static volatile Remembered? _last;

        /// <summary>Records a workflow from an instance's <c>process</c> URL (…/api/processes/{id}/).</summary>
        public static void Remember(string? processUrl, long processId)
        {
            if (processId <= 0 || string.IsNullOrEmpty(processUrl))
            {
                return;
            }

            // A listing names the same workflow in every row: the one remembered last is already first in its list.
            var last = _last;
            if (last != null && last.ProcessId == processId && string.Equals(last.ProcessUrl, processUrl, StringComparison.Ordinal))
            {
                return;
            }

            var at = processUrl!.LastIndexOf(Marker, StringComparison.OrdinalIgnoreCase);
            if (at <= 0)
            {
                return;
            }

            RememberAt(processUrl.Substring(0, at), processId, new Remembered(processUrl, processId));
        }

        private static void RememberAt(string baseUrl, long processId, Remembered remembered)
        {
            var key = Key(baseUrl);
            lock (ByBase)
            {
                // Set under the lock, so it always names the workflow most recently moved to the front.
                _last = remembered;
                if (!ByBase.TryGetValue(key, out var ids))
                {
                    ByBase[key] = ids = new List<long>();
                }

                ids.Remove(processId);
                ids.Insert(0, processId);
                if (ids.Count > Capacity)
                {
                    ids.RemoveAt(ids.Count - 1);
                }
            }
        }

        /// <summary>The workflow ids met through connections to this API base URL, most recent first.</summary>
        public static IReadOnlyList<long> For(Uri baseUri)
        {
            lock (ByBase)
            {
                return ByBase.TryGetValue(Key(baseUri.AbsoluteUri), out var ids) ? ids.ToArray() : Array.Empty<long>();
            }
        }

        private static string Key(string baseUrl)
        {
            var text = baseUrl.Trim();
            // Scheme and host are case-insensitive; the path of the API is what tells two servers apart.
            return Uri.TryCreate(text, UriKind.Absolute, out var uri)
                ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + uri.AbsolutePath.TrimEnd('/') + "/"
                : text.TrimEnd('/') + "/";
        }

        private sealed class Remembered
        {
            public Remembered(string processUrl, long processId)
            {
                ProcessUrl = processUrl;
                ProcessId = processId;
            }

            public string ProcessUrl { get; }

            public long ProcessId { get; }
        }
    }
}
