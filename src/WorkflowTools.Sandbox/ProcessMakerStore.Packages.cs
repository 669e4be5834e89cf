using System;
using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Sandbox;

// Process lifecycle of the sandbox's ProcessMaker: archive and restore (ProcessController destroy/restore), and the
// uuids that export packages name processes by (random per sandbox, as PM4's are per server).
public sealed partial class ProcessMakerStore
{
    private readonly Dictionary<long, Guid> _processUuids = new();

    /// <summary>The process's uuid on this server (made on first use).</summary>
    public Guid UuidOf(long processId)
    {
        lock (Gate)
        {
            if (!_processUuids.TryGetValue(processId, out var uuid)) _processUuids[processId] = uuid = Guid.NewGuid();
            return uuid;
        }
    }

    /// <summary>The process this server knows by <paramref name="uuid"/>, or null.</summary>
    public PmProcess? FindProcessByUuid(Guid uuid)
    {
        lock (Gate) return _processUuids.Where(p => p.Value == uuid).Select(p => _processes.GetValueOrDefault(p.Key)).FirstOrDefault(p => p != null);
    }

    /// <summary>Replaces a process's status (ACTIVE, ARCHIVED).</summary>
    public PmProcess SetProcessStatus(PmProcess process, string status)
    {
        lock (Gate) return _processes[process.Id] = process with { Status = status };
    }

    /// <summary>Adds an imported process under a new id, or replaces one in place, and remembers its package uuid.</summary>
    public PmProcess ImportProcess(Guid uuid, PmProcess? existing, string name, string description, IReadOnlyList<PmStartEvent> events, IReadOnlyList<PmTaskDefinition> tasks)
    {
        lock (Gate)
        {
            var id = existing?.Id ?? (_processes.Count == 0 ? 1 : _processes.Keys.Max() + 1);
            var process = new PmProcess(id, name, events, tasks) { Description = description, ProcessVersionId = id * 10 + 1, CreatedAt = existing?.CreatedAt ?? _clock.Now };
            _processes[id] = process;
            _processUuids[id] = uuid;
            return process;
        }
    }
}
