using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>An environment variable (PM4 Models/EnvironmentVariable). The value is write-only: no API answer carries it.</summary>
public sealed class PmEnvironmentVariable
{
    internal PmEnvironmentVariable(long id) => Id = id;
    /// <summary>Id.</summary>
    public long Id { get; }
    /// <summary>Name (^[a-zA-Z][a-zA-Z_$0-9]*$, unique).</summary>
    public string Name { get; internal set; } = "";
    /// <summary>Description (required).</summary>
    public string Description { get; internal set; } = "";
    /// <summary>The value as stored (PM4 encrypts it); only tests read it.</summary>
    public string? Value { get; internal set; }
    /// <summary>Created.</summary>
    public DateTimeOffset CreatedAt { get; internal set; }
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }
}

/// <summary>One security log entry (PM4 Models/SecurityLog: event, ip, meta, user_id, occurred_at, data; changes hidden).</summary>
public sealed record PmSecurityLogEntry(long Id, string Event, string Ip, long? UserId, DateTimeOffset OccurredAt, JsonObject? Data);

// Environment variables and the security log of the sandbox's ProcessMaker (the data and lifecycle issue).
public sealed partial class ProcessMakerStore
{
    private readonly List<PmEnvironmentVariable> _variables = new();
    private readonly List<PmSecurityLogEntry> _securityLog = new();
    private long _nextVariableId = 1;
    private long _nextSecurityLogId = 1;

    /// <summary>The environment variables, by id.</summary>
    public IReadOnlyList<PmEnvironmentVariable> EnvironmentVariables { get { lock (Gate) return _variables.OrderBy(v => v.Id).ToList(); } }

    /// <summary>The security log, oldest first.</summary>
    public IReadOnlyList<PmSecurityLogEntry> SecurityLog { get { lock (Gate) return _securityLog.ToList(); } }

    /// <summary>A variable by id, or null.</summary>
    public PmEnvironmentVariable? FindVariable(long id) { lock (Gate) return _variables.FirstOrDefault(v => v.Id == id); }

    /// <summary>Adds a variable; null when the name is taken (case-insensitive, as MySQL's unique index compares).</summary>
    public PmEnvironmentVariable? AddVariable(string name, string description, string? value)
    {
        lock (Gate)
        {
            if (_variables.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))) return null;
            var now = _clock.Now;
            var variable = new PmEnvironmentVariable(_nextVariableId++) { Name = name, Description = description, Value = value, CreatedAt = now, UpdatedAt = now };
            _variables.Add(variable);
            return variable;
        }
    }

    /// <summary>Whether another variable than <paramref name="except"/> has this name.</summary>
    internal bool VariableNameTaken(string name, PmEnvironmentVariable? except)
    {
        lock (Gate) return _variables.Any(v => v != except && string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Changes name and description, and the value only when one is given (PM4: <c>$request->filled('value')</c>).</summary>
    internal void UpdateVariable(PmEnvironmentVariable variable, string name, string description, string? value)
    {
        lock (Gate)
        {
            variable.Name = name;
            variable.Description = description;
            if (!string.IsNullOrEmpty(value)) variable.Value = value;
            variable.UpdatedAt = _clock.Now;
        }
    }

    internal void RemoveVariable(PmEnvironmentVariable variable) { lock (Gate) _variables.Remove(variable); }

    /// <summary>Records a security log entry (PM4 Listeners/SecurityLogger); <paramref name="data"/> never holds a secret.</summary>
    public PmSecurityLogEntry RecordSecurityEvent(long? userId, string eventName, JsonObject? data = null, string ip = "127.0.0.1")
    {
        lock (Gate)
        {
            var entry = new PmSecurityLogEntry(_nextSecurityLogId++, eventName, ip, userId, _clock.Now, data);
            _securityLog.Add(entry);
            return entry;
        }
    }
}
