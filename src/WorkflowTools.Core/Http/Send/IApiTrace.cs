using System;
using System.Threading;

namespace WorkflowTools.Http
{
    /// <summary>Receives what happens on the wire, for Verbose and Debug output. Must never be given a secret.</summary>
    internal interface IApiTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }

    /// <summary>
    /// Optional on a trace sink: says which streams anyone will see, so the HTTP core builds no trace
    /// text (request lines, body excerpts) for a stream that is switched off.
    /// </summary>
    internal interface IApiTraceLevels
    {
        bool VerboseEnabled { get; }

        bool DebugEnabled { get; }
    }

    /// <summary>
    /// Optional on a trace sink: told when a call has waited long enough between attempts that a user without
    /// -Verbose should hear about it (a long Retry-After, a server that keeps refusing connections).
    /// </summary>
    internal interface IApiTraceNotices
    {
        void LongWait(string message);
    }

    /// <summary>
    /// The trace sink of the current logical call. The cmdlet layer sets it before it starts work; it
    /// flows with async continuations, so parallel calls each report to their own cmdlet.
    /// </summary>
    internal static class ApiTrace
    {
        private static readonly AsyncLocal<IApiTrace?> CurrentSink = new AsyncLocal<IApiTrace?>();

        public static IApiTrace? Current
        {
            get => CurrentSink.Value;
            set => CurrentSink.Value = value;
        }

        /// <summary>True when a sink is set and takes Verbose lines.</summary>
        public static bool VerboseEnabled => CurrentSink.Value is IApiTrace sink && (!(sink is IApiTraceLevels levels) || levels.VerboseEnabled);

        /// <summary>True when a sink is set and takes Debug lines.</summary>
        public static bool DebugEnabled => CurrentSink.Value is IApiTrace sink && (!(sink is IApiTraceLevels levels) || levels.DebugEnabled);

        internal static void Verbose(string message) => CurrentSink.Value?.Verbose(message);

        internal static void Debug(string message) => CurrentSink.Value?.Debug(message);

        internal static void LongWait(string message) => (CurrentSink.Value as IApiTraceNotices)?.LongWait(message);
    }
}
