using System;

namespace WorkflowTools.Cmdlets.Sandbox
{
    /// <summary>
    /// The values the sandbox cmdlets accept for its clock and its delays, checked before any request. The sandbox
    /// checks the same bounds itself (<c>SandboxControlApi</c>, <c>FaultSpec</c>) and answers 400 past them, so
    /// other clients meet the same limits.
    /// </summary>
    internal static class SandboxLimits
    {
        /// <summary>The earliest time the sandbox clock may show.</summary>
        public static readonly DateTime Earliest = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>The latest time the sandbox clock may show.</summary>
        public static readonly DateTime Latest = new DateTime(2999, 12, 31, 23, 59, 59, DateTimeKind.Utc);

        /// <summary>The furthest one move of the clock may go, either way: 100 years.</summary>
        public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(36525);

        /// <summary>The longest a fault may delay or stall an answer: 24 hours.</summary>
        public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(24);

        public static bool IsAdvance(TimeSpan advance) => advance >= -MaxAdvance && advance <= MaxAdvance;

        public static bool IsDelay(TimeSpan delay) => delay >= TimeSpan.Zero && delay <= MaxDelay;

        /// <summary>Whether a time (an unspecified kind is local, as the cmdlet sends it) lies in the clock's range.</summary>
        public static bool IsClockTime(DateTime time)
        {
            if (time.Kind != DateTimeKind.Utc)
            {
                // Near the ends of DateTime, converting to UTC saturates: check the raw value with a day of slack for any offset.
                if (time < Earliest.AddDays(1) || time > Latest.AddDays(-1))
                {
                    return false;
                }

                time = time.ToUniversalTime();
            }

            return time >= Earliest && time <= Latest;
        }
    }
}
