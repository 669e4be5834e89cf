using System;
using System.Threading;

namespace WorkflowTools.Http
{
    /// <summary>Receives what happens on the wire, for Verbose and Debug output. Must never be given a secret.</summary>
    public interface IApiTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }

    /// <summary>
    /// The trace sink of the current logical call. The cmdlet layer sets it before it starts work; it
    /// flows with async continuations, so parallel calls each report to their own cmdlet.
    /// </summary>
    public static class ApiTrace
    {
        private static readonly AsyncLocal<IApiTrace?> CurrentSink = new AsyncLocal<IApiTrace?>();

        public static IApiTrace? Current
        {
            get => CurrentSink.Value;
            set => CurrentSink.Value = value;
        }

        internal static void Verbose(string message) => CurrentSink.Value?.Verbose(message);

        internal static void Debug(string message) => CurrentSink.Value?.Debug(message);
    }
}
