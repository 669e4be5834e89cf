using System;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

public sealed class DjangoDurationTests
{
    [Theory]
    // the seed's examples
    [InlineData("00:50", "00:00:50")]
    [InlineData("01 09:30", "1.00:09:30")]
    [InlineData("02:30:00", "02:30:00")]
    [InlineData("PT50M", "00:50:00")]
    [InlineData("PT1H30S", "01:00:30")]
    // standard form
    [InlineData("50", "00:00:50")]
    [InlineData("1 02:03:04", "1.02:03:04")]
    [InlineData("3 days, 04:05:06", "3.04:05:06")]
    [InlineData("1:2:3", "01:02:03")]
    [InlineData("10:60", "00:11:00")]
    [InlineData("00:00:01.5", "00:00:01.5")]
    [InlineData("00:00:01,25", "00:00:01.25")]
    [InlineData("-1 00:00:01", "-23:59:59")]
    [InlineData("-00:01", "-00:00:01")]
    // ISO 8601
    [InlineData("P1DT2H", "1.02:00:00")]
    [InlineData("PT0.5S", "00:00:00.5")]
    [InlineData("PT1,5H", "01:30:00")]
    [InlineData("P0.5D", "12:00:00")]
    [InlineData("-PT1H", "-01:00:00")]
    [InlineData("P2D", "2.00:00:00")]
    [InlineData("PT", "00:00:00")] // Django accepts an empty designator list: zero
    [InlineData("P", "00:00:00")]
    // PostgreSQL
    [InlineData("3 days 04:05:06", "3.04:05:06")]
    [InlineData("1 day 01:00:00", "1.01:00:00")]
    [InlineData("4 days", "4.00:00:00")]
    [InlineData("-04:05:06", "-04:05:06")]
    [InlineData("", "00:00:00")]
    public void Parses_like_django(string text, string expected)
    {
        Assert.True(DjangoDuration.TryParse(text, out var value), text);
        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1W")]
    [InlineData("1.02:03:04")]
    [InlineData("1h")]
    [InlineData("01:02:03:04")]
    [InlineData("٣")] // a non-ASCII digit
    [InlineData(null)]
    public void Rejects_what_django_rejects(string? text)
    {
        Assert.False(DjangoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData("00:00:00", "00:00:00")]
    [InlineData("1.02:03:04", "1 02:03:04")]
    [InlineData("00:00:01.5", "00:00:01.500000")]
    [InlineData("-00:00:01", "-1 23:59:59")]
    [InlineData("12.00:00:00", "12 00:00:00")]
    public void Formats_like_django(string value, string expected)
    {
        Assert.Equal(expected, DjangoDuration.Format(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
