using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox;

/// <summary>
/// Django's <c>parse_duration</c> / <c>duration_string</c>, as Next Matter's total_runtime filters use them.
/// Accepted: standard <c>[-][D ][D days, ][[HH:]MM:]SS[.ffffff]</c>, ISO 8601 <c>[-+]P[nD][T[nH][nM][nS]]</c>
/// (decimals allowed, no years/months/weeks), PostgreSQL <c>3 days 04:05:06</c>.
/// </summary>
public static class DjangoDuration
{
    // Written from the grammar Django documents; [0-9] instead of \d so only ASCII digits count.
    private static readonly Regex Standard = new(
        @"^(?:(?<days>-?[0-9]+) (days?, )?)?(?<sign>-?)((?:(?<hours>[0-9]+):)(?=[0-9]+:[0-9]+))?(?:(?<minutes>[0-9]+):)?(?<seconds>[0-9]+)(?:[.,](?<microseconds>[0-9]{1,6})[0-9]{0,6})?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex Iso8601 = new(
        @"^(?<sign>[-+]?)P(?:(?<days>[0-9]+([.,][0-9]+)?)D)?(?:T(?:(?<hours>[0-9]+([.,][0-9]+)?)H)?(?:(?<minutes>[0-9]+([.,][0-9]+)?)M)?(?:(?<seconds>[0-9]+([.,][0-9]+)?)S)?)?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex Postgres = new(
        @"^(?:(?<days>-?[0-9]+) (days? ?))?(?:(?<sign>[-+])?(?<hours>[0-9]+):(?<minutes>[0-9][0-9]):(?<seconds>[0-9][0-9])(?:\.(?<microseconds>[0-9]{1,6}))?)?$",
        RegexOptions.CultureInvariant);

    /// <summary>Parses like Django; false where Django returns None (the filter then answers "Enter a valid duration.").</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == null) return false;
        var m = Standard.Match(text);
        var iso = false;
        if (!m.Success) { m = Iso8601.Match(text); iso = m.Success; }
        if (!m.Success) m = Postgres.Match(text);
        if (!m.Success) return false;

        double Part(string name)
        {
            var g = m.Groups[name];
            if (!g.Success || g.Value.Length == 0) return 0;
            var s = g.Value.Replace(',', '.');
            if (name == "microseconds") s = s.PadRight(6, '0');
            return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        var sign = m.Groups["sign"].Value == "-" ? -1 : 1;
        try
        {
            var days = TimeSpan.FromDays(Part("days"));
            if (iso) days *= sign;
            var rest = TimeSpan.FromHours(Part("hours")) + TimeSpan.FromMinutes(Part("minutes"))
                + TimeSpan.FromSeconds(Part("seconds")) + TimeSpan.FromTicks((long)(Part("microseconds") * 10));
            value = days + sign * rest;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Django's duration_string: <c>[D ]HH:MM:SS[.ffffff]</c>, e.g. <c>1 02:03:04</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var negative = value < TimeSpan.Zero;
        // Django keeps timedelta's normalisation: negative days, positive remainder.
        var days = (long)Math.Floor(value.TotalDays);
        var rest = value - TimeSpan.FromDays(days);
        var text = $"{rest.Hours:00}:{rest.Minutes:00}:{rest.Seconds:00}";
        var micro = (rest.Ticks % TimeSpan.TicksPerSecond) / 10;
        if (micro != 0) text += "." + micro.ToString("000000", CultureInfo.InvariantCulture);
        if (days != 0 || negative) text = days.ToString(CultureInfo.InvariantCulture) + " " + text;
        return text;
    }
}
