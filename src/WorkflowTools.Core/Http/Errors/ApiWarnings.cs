namespace WorkflowTools.Http
{
    /// <summary>Optional on a trace sink: takes warnings, which a user sees without -Verbose.</summary>
    internal interface IApiTraceWarnings
    {
        void Warning(string message);
    }

    /// <summary>
    /// Warnings from Core for the current logical call (<see cref="ApiTrace.Current"/>): something was sent on a guess
    /// the user should know about. A sink without warnings gets the line as Verbose.
    /// </summary>
    internal static class ApiWarnings
    {
        public static void Write(string message)
        {
            if (ApiTrace.Current is IApiTraceWarnings sink)
            {
                sink.Warning(message);
            }
            else
            {
                ApiTrace.Verbose(message);
            }
        }
    }
}
