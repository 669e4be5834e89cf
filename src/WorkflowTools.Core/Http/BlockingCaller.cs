using System;
using System.Threading;

namespace WorkflowTools.Http
{
    /// <summary>
    /// Marks the current thread as one that will wait for the request anyway: a PowerShell pipeline thread
    /// running a command one item at a time. A request started on such a thread may be sent synchronously
    /// (<see cref="ApiClient"/> does so on .NET over HTTP/1.1), which spares the two thread hops of an async
    /// send followed by a blocking wait. The mark is per thread and does not flow into continuations, so
    /// anything that resumes on the thread pool (after a retry delay, a rate-limiter wait) stays async.
    /// </summary>
    internal static class BlockingCaller
    {
        [ThreadStatic]
        private static bool t_active;

        /// <summary>Whether the current thread said it waits for its requests.</summary>
        public static bool IsActive => t_active;

        /// <summary>
        /// Calls <paramref name="start"/> with the mark set to <paramref name="blocking"/> and restores it when
        /// <paramref name="start"/> returns: the mark covers the synchronous start of the work (which, for a
        /// request, is all of it when it is sent synchronously) and never what resumes after an await, on this
        /// thread or another. A scope held across an await would leave the mark on a pool thread.
        /// </summary>
        public static T Start<T>(Func<T> start, bool blocking = true)
        {
            if (start == null)
            {
                throw new ArgumentNullException(nameof(start));
            }

            var previous = t_active;
            t_active = blocking;
            try
            {
                return start();
            }
            finally
            {
                t_active = previous;
            }
        }
    }
}
