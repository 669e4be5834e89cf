using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkflowTools.NextMatter
{
    /// <summary>
    /// Durations with Next Matter's meaning. Next Matter parses duration filters with Django's
    /// <c>parse_duration</c>: <c>00:50</c> is 50 seconds (MM:SS), <c>01 09:30</c> is one day, 9 minutes and
    /// 30 seconds, hours need two colons, ISO 8601 (<c>PT1H30S</c>) and PostgreSQL (<c>3 days 04:05:06</c>)
    /// forms are accepted. A PowerShell user may also write .NET's <c>1.02:03:04</c>. Whatever came in, the
    /// value goes out in Django's own canonical form, <c>[D ]HH:MM:SS[.ffffff]</c>.
    /// </summary>
    internal static class NmDuration
    {
        public const string AcceptedForms =
            "'[D ]HH:MM:SS', 'MM:SS' or 'SS' as Next Matter reads them (00:50 is 50 seconds, '01 09:30' is 1 day 9 min 30 s), " +
            "ISO 8601 such as 'PT50M' or 'P1DT2H', PostgreSQL style '3 days 04:05:06', .NET style '1.02:03:04', or a [TimeSpan]";

        private static readonly Regex Standard = new Regex(
            @"^(?:(?<days>-?[0-9]+) (?:days?, )?)?(?<sign>-?)(?:(?<hours>[0-9]+):(?=[0-9]+:[0-9]+))?(?:(?<minutes>[0-9]+):)?(?<seconds>[0-9]+)(?:[.,](?<micro>[0-9]{1,6})[0-9]{0,6})?$",
            RegexOptions.CultureInvariant);

        private static readonly Regex Iso8601 = new Regex(
            @"^(?<sign>[-+]?)P(?:(?<days>[0-9]+(?:[.,][0-9]+)?)D)?(?:T(?:(?<hours>[0-9]+(?:[.,][0-9]+)?)H)?(?:(?<minutes>[0-9]+(?:[.,][0-9]+)?)M)?(?:(?<seconds>[0-9]+(?:[.,][0-9]+)?)S)?)?$",
            RegexOptions.CultureInvariant);

        private static readonly Regex Postgres = new Regex(
            @"^(?:(?<days>-?[0-9]+) (?:days? ?))?(?:(?<sign>[-+])?(?<hours>[0-9]+):(?<minutes>[0-9][0-9]):(?<seconds>[0-9][0-9])(?:\.(?<micro>[0-9]{1,6}))?)?$",
            RegexOptions.CultureInvariant);

        private static readonly Regex DotNet = new Regex(
            @"^-?[0-9]+\.[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?$",
            RegexOptions.CultureInvariant);

        public static TimeSpan Parse(string text)
        {
            if (TryParse(text, out var value, out var problem))
            {
                return value;
            }

            throw new FormatException(problem);
        }

        public static bool TryParse(string? text, out TimeSpan value, out string? problem) => TryParse(text, out value, out problem, canonicalFastPath: true);

        // canonicalFastPath is false only in tests, which check that the fast path and the patterns agree.
        internal static bool TryParse(string? text, out TimeSpan value, out string? problem, bool canonicalFastPath)
        {
            value = TimeSpan.Zero;
            problem = null;
            var s = text?.Trim() ?? string.Empty;
            if (s.Length == 0)
            {
                problem = $"An empty duration is not a duration. Use {AcceptedForms}.";
                return false;
            }

            // What Next Matter itself writes, '[D ]HH:MM:SS[.ffffff]', read without a regex: a listing has one per row.
            if (canonicalFastPath && TryParseCanonical(s, out value))
            {
                return true;
            }

            try
            {
                Match m;
                if ((m = Standard.Match(s)).Success)
                {
                    var sign = m.Groups["sign"].Value == "-" ? -1 : 1;
                    var days = Number(m, "days");
                    var rest = TimeSpan.FromHours(Number(m, "hours")) + TimeSpan.FromMinutes(Number(m, "minutes"))
                        + TimeSpan.FromSeconds(Number(m, "seconds")) + Micro(m);
                    value = TimeSpan.FromDays(days) + (sign < 0 ? rest.Negate() : rest);
                    return true;
                }

                if ((m = Iso8601.Match(s)).Success)
                {
                    if (!m.Groups["days"].Success && !m.Groups["hours"].Success && !m.Groups["minutes"].Success && !m.Groups["seconds"].Success)
                    {
                        problem = $"'{s}' names no amount of time, so it is no duration. Use {AcceptedForms}.";
                        return false;
                    }

                    var total = TimeSpan.FromDays(Number(m, "days")) + TimeSpan.FromHours(Number(m, "hours"))
                        + TimeSpan.FromMinutes(Number(m, "minutes")) + TimeSpan.FromSeconds(Number(m, "seconds"));
                    value = m.Groups["sign"].Value == "-" ? total.Negate() : total;
                    return true;
                }

                if ((m = Postgres.Match(s)).Success)
                {
                    var sign = m.Groups["sign"].Value == "-" ? -1 : 1;
                    var rest = TimeSpan.FromHours(Number(m, "hours")) + TimeSpan.FromMinutes(Number(m, "minutes"))
                        + TimeSpan.FromSeconds(Number(m, "seconds")) + Micro(m);
                    value = TimeSpan.FromDays(Number(m, "days")) + (sign < 0 ? rest.Negate() : rest);
                    return true;
                }

                if (DotNet.IsMatch(s))
                {
                    value = TimeSpan.Parse(s, CultureInfo.InvariantCulture);
                    return true;
                }
            }
            catch (OverflowException)
            {
                problem = $"'{s}' is too long a duration.";
                return false;
            }
            catch (FormatException)
            {
                // falls through to the general message
            }

            problem = $"'{s}' is not a duration Next Matter understands. Use {AcceptedForms}.";
            return false;
        }

        /// <summary>Django's canonical text for a duration: <c>[D ]HH:MM:SS[.ffffff]</c>.</summary>
        public static string Format(TimeSpan value)
        {
            var negative = value < TimeSpan.Zero;
            // Django writes negative durations as "-D HH:MM:SS" with the days negative and the rest positive.
            var days = (long)Math.Floor(value.TotalDays);
            var rest = value - TimeSpan.FromDays(days);
            var micro = (rest.Ticks % TimeSpan.TicksPerSecond) / 10;
            var text = string.Format(CultureInfo.InvariantCulture, "{0:00}:{1:00}:{2:00}", (int)rest.TotalHours, rest.Minutes, rest.Seconds);
            if (days != 0 || negative)
            {
                text = days.ToString(CultureInfo.InvariantCulture) + " " + text;
            }

            if (micro != 0)
            {
                text += "." + micro.ToString("000000", CultureInfo.InvariantCulture);
            }

            return text;
        }

        /// <summary>
        /// The canonical form only: optional non-negative days and a space, then hours, minutes and seconds (at
        /// most 6 digits each, so nothing overflows), then optionally a fraction of 1–12 digits of which the
        /// first 6 count (as the Standard pattern reads it). Anything else is left to the patterns; what this
        /// accepts, the Standard pattern reads to the same value.
        /// </summary>
        internal static bool TryParseCanonical(string s, out TimeSpan value)
        {
            value = TimeSpan.Zero;
            var i = 0;
            long days = 0;
            var space = s.IndexOf(' ');
            if (space >= 0)
            {
                if (!ReadDigits(s, ref i, 6, out days) || i != space)
                {
                    return false;
                }

                i++;
            }

            if (!ReadDigits(s, ref i, 6, out var hours) || i >= s.Length || s[i++] != ':'
                || !ReadDigits(s, ref i, 6, out var minutes) || i >= s.Length || s[i++] != ':'
                || !ReadDigits(s, ref i, 6, out var seconds))
            {
                return false;
            }

            long micro = 0;
            if (i < s.Length)
            {
                if (s[i] != '.' && s[i] != ',')
                {
                    return false;
                }

                var start = ++i;
                while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                {
                    i++;
                }

                var digits = i - start;
                if (digits == 0 || digits > 12 || i != s.Length)
                {
                    return false;
                }

                for (var k = 0; k < 6; k++)
                {
                    micro = (micro * 10) + (k < digits ? s[start + k] - '0' : 0);
                }
            }

            value = TimeSpan.FromTicks((days * TimeSpan.TicksPerDay) + (hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute)
                + (seconds * TimeSpan.TicksPerSecond) + (micro * 10));
            return true;
        }

        private static bool ReadDigits(string s, ref int i, int maxDigits, out long number)
        {
            number = 0;
            var start = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                if (i - start == maxDigits)
                {
                    return false;
                }

                number = (number * 10) + (s[i] - '0');
                i++;
            }

            return i > start;
        }

        private static double Number(Match m, string group)
        {
            var g = m.Groups[group];
            return g.Success && g.Value.Length > 0 ? double.Parse(g.Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture) : 0;
        }

        private static TimeSpan Micro(Match m)
        {
            var g = m.Groups["micro"];
            if (!g.Success || g.Value.Length == 0)
            {
                return TimeSpan.Zero;
            }

            var micro = long.Parse(g.Value.PadRight(6, '0'), CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(micro * 10);
        }
    }
}
