using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;

namespace WorkflowTools.Tests.Harness
{
    /// <summary>
    /// A PowerShell 7.6 session with the built WorkflowTools module imported, so a test reads like a
    /// console session: <c>session.Run("Get-NmInstance -ProcessId 1")</c>.
    /// </summary>
    public sealed class PsSession : IDisposable
    {
        private readonly Runspace _runspace;

        /// <param name="importModule">Whether to import the module (<paramref name="manifest"/>, by default the built one).</param>
        /// <param name="host">A host for the runspace, when a test needs one (prompts, UI).</param>
        /// <param name="manifest">The module manifest to import instead of the built module's.</param>
        public PsSession(bool importModule = true, PSHost? host = null, string? manifest = null)
        {
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            _runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
            _runspace.Open();
            if (importModule)
            {
                manifest ??= RepoPaths.BuiltManifest;
                var import = Run($"Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop");
                if (import.Errors.Count > 0 || import.TerminatingError != null || import.Warnings.Count > 0)
                {
                    // Everything: each error's whole exception (inner exceptions and stack included) and each warning,
                    // so that a class whose fixture could not import the module says why.
                    _runspace.Dispose();
                    throw new InvalidOperationException(
                        $"Import-Module '{manifest}' failed:\n{import.DescribeFully()}",
                        import.AllErrors.Select(e => e.Exception).FirstOrDefault(e => e != null) ?? import.TerminatingError);
                }
            }
        }

        public Runspace Runspace => _runspace;

        /// <summary>Sets a session variable (for secrets and objects that are awkward to write as literals).</summary>
        public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

        public object? Get(string name) => _runspace.SessionStateProxy.GetVariable(name);

        /// <summary>Connects the session to a sandbox for both services.</summary>
        public void ConnectTo(WorkflowTools.Sandbox.SandboxServer sandbox, string extra = "")
        {
            Set("__nmKey", Secure(sandbox.NextMatterApiKey));
            Set("__pmToken", Secure(sandbox.ProcessMakerToken));
            Run($"Connect-NmService -BaseUri '{sandbox.NextMatterBaseUri}' -ApiKey $__nmKey -RequestsPerMinute 0 {extra}; " +
                $"Connect-PmServer -BaseUri '{sandbox.ProcessMakerInstanceUri}' -AccessToken $__pmToken {extra}").ThrowIfFailed();
        }

        public PsResult Run(string script, IDictionary? parameters = null)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            if (parameters != null)
            {
                ps.AddParameters(parameters);
            }

            Collection<PSObject> output = new Collection<PSObject>();
            Exception? terminating = null;
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
            }

            return new PsResult(
                output.Where(o => o != null).ToList(),
                ps.Streams.Error.ToList(),
                ps.Streams.Warning.Select(w => w.Message).ToList(),
                ps.Streams.Verbose.Select(v => v.Message).ToList(),
                ps.Streams.Debug.Select(d => d.Message).ToList(),
                ps.Streams.Information.ToList(),
                ps.Streams.Progress.ToList(),
                terminating,
                ps.HadErrors);
        }

        public static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            s.MakeReadOnly();
            return s;
        }

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>Everything one script wrote, stream by stream.</summary>
    public sealed class PsResult
    {
        public PsResult(List<PSObject> output, List<ErrorRecord> errors, List<string> warnings, List<string> verbose, List<string> debug, List<InformationRecord> information, List<ProgressRecord> progress, Exception? terminatingError, bool hadErrors)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Debug = debug;
            Information = information;
            Progress = progress;
            TerminatingError = terminatingError;
            HadErrors = hadErrors;
        }

        public List<PSObject> Output { get; }
        public List<ErrorRecord> Errors { get; }
        public List<string> Warnings { get; }
        public List<string> Verbose { get; }
        public List<string> Debug { get; }
        public List<InformationRecord> Information { get; }
        public List<ProgressRecord> Progress { get; }
        public Exception? TerminatingError { get; }
        public bool HadErrors { get; }

        /// <summary>The ErrorRecord of a terminating error, when the script was stopped by one.</summary>
        public ErrorRecord? TerminatingRecord => (TerminatingError as IContainsErrorRecord)?.ErrorRecord;

        /// <summary>All error records: the error stream plus a terminating one.</summary>
        public IEnumerable<ErrorRecord> AllErrors => TerminatingRecord == null ? Errors : Errors.Append(TerminatingRecord);

        public PSObject Single()
        {
            ThrowIfFailed();
            if (Output.Count != 1)
            {
                throw new InvalidOperationException($"Expected one output object, got {Output.Count}: {string.Join(", ", Output)}");
            }

            return Output[0];
        }

        public PsResult ThrowIfFailed()
        {
            if (TerminatingError != null || Errors.Count > 0)
            {
                throw new InvalidOperationException("The script failed: " + Describe());
            }

            return this;
        }

        /// <summary>Each error as "[ErrorId] message", with the messages of its inner exceptions ("---> Type: message").</summary>
        public string Describe() =>
            string.Join(" | ", AllErrors.Select(e => $"[{e.FullyQualifiedErrorId}] {Chain(e.Exception)}"))
            + (TerminatingError != null && TerminatingRecord == null ? " " + TerminatingError : string.Empty);

        /// <summary>Each error in full (the exception's ToString: type, message, inner exceptions, stack), its script position, and every warning.</summary>
        public string DescribeFully()
        {
            var parts = new List<string>();
            foreach (var e in AllErrors)
            {
                parts.Add($"error [{e.FullyQualifiedErrorId}] {e.InvocationInfo?.PositionMessage}\n{e.Exception}");
            }

            if (TerminatingError != null && TerminatingRecord == null)
            {
                parts.Add("terminating: " + TerminatingError);
            }

            parts.AddRange(Warnings.Select(w => "warning: " + w));
            return string.Join("\n", parts);
        }

        private static string Chain(Exception? exception)
        {
            var text = exception?.Message ?? string.Empty;
            for (var inner = exception?.InnerException; inner != null; inner = inner.InnerException)
            {
                text += $" ---> {inner.GetType().Name}: {inner.Message}";
            }

            return text;
        }

        /// <summary>Every piece of text any stream carried: for leak checks.</summary>
        public string AllText()
        {
            var parts = new List<string>();
            parts.AddRange(Output.Select(o => o.ToString()));
            foreach (var o in Output)
            {
                foreach (var p in o.Properties)
                {
                    try
                    {
                        parts.Add(Convert.ToString(p.Value) ?? string.Empty);
                    }
                    catch (Exception)
                    {
                        // A getter that throws is not a leak.
                    }
                }
            }

            foreach (var e in AllErrors)
            {
                parts.Add(e.ToString());
                parts.Add(e.Exception?.ToString() ?? string.Empty);
                parts.Add(e.ErrorDetails?.Message ?? string.Empty);
                parts.Add(e.ErrorDetails?.RecommendedAction ?? string.Empty);
                parts.Add(Convert.ToString(e.TargetObject) ?? string.Empty);
            }

            parts.AddRange(Warnings);
            parts.AddRange(Verbose);
            parts.AddRange(Debug);
            parts.AddRange(Information.Select(i => Convert.ToString(i.MessageData) ?? string.Empty));
            parts.AddRange(Progress.Select(p => p.Activity + " " + p.StatusDescription));
            parts.Add(TerminatingError?.ToString() ?? string.Empty);
            return string.Join("\n", parts);
        }
    }
}
