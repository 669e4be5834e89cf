using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests
{
    public class NmDurationTests
    {
        [Theory]
        // The seed's own examples, with Next Matter's (Django's) meaning.
        [InlineData("00:50", 0, 0, 0, 50)]
        [InlineData("01 09:30", 1, 0, 9, 30)]
        [InlineData("02:30:00", 0, 2, 30, 0)]
        [InlineData("PT50M", 0, 0, 50, 0)]
        [InlineData("PT1H30S", 0, 1, 0, 30)]
        // Django's other standard forms.
        [InlineData("50", 0, 0, 0, 50)]
        [InlineData("1 00:09:30", 1, 0, 9, 30)]
        [InlineData("3 days, 04:05:06", 3, 4, 5, 6)]
        [InlineData("3 days 04:05:06", 3, 4, 5, 6)]
        [InlineData("P1DT2H", 1, 2, 0, 0)]
        [InlineData("P2D", 2, 0, 0, 0)]
        [InlineData("PT0.5H", 0, 0, 30, 0)]
        [InlineData("PT1,5M", 0, 0, 1, 30)]
        // .NET's own form, which Django cannot read, keeps .NET's meaning.
        [InlineData("1.02:03:04", 1, 2, 3, 4)]
        [InlineData("  00:50  ", 0, 0, 0, 50)]
        public void Parses_with_next_matters_meaning(string text, int days, int hours, int minutes, int seconds)
        {
            Assert.Equal(new TimeSpan(days, hours, minutes, seconds), NmDuration.Parse(text));
        }

        [Fact]
        public void Keeps_microseconds_as_django_does()
        {
            Assert.Equal(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(5000000), NmDuration.Parse("15.5"));
            Assert.Equal(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(1230), NmDuration.Parse("00:15.000123"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("abc")]
        [InlineData("1 hour")]
        [InlineData("P")]
        [InlineData("PT")]
        [InlineData("P1Y")]
        [InlineData("P1M")]
        [InlineData("P1W")]
        [InlineData("10:")]
        [InlineData(":10")]
        [InlineData("1:2:3:4")]
        [InlineData("PT1H30")]
        [InlineData("5m")]
        public void Rejects_what_next_matter_would_not_read(string text)
        {
            Assert.False(NmDuration.TryParse(text, out _, out var problem));
            Assert.Contains("duration", problem, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData(0, 0, 0, 50, "00:00:50")]
        [InlineData(1, 0, 9, 30, "1 00:09:30")]
        [InlineData(0, 2, 30, 0, "02:30:00")]
        [InlineData(12, 23, 59, 59, "12 23:59:59")]
        public void Formats_in_djangos_canonical_form(int days, int hours, int minutes, int seconds, string expected)
        {
            var value = new TimeSpan(days, hours, minutes, seconds);
            var text = NmDuration.Format(value);
            Assert.Equal(expected, text);
            Assert.Equal(value, NmDuration.Parse(text));
        }

        [Fact]
        public void Formats_fractions_as_microseconds_and_reads_them_back()
        {
            var value = TimeSpan.FromSeconds(1.25);
            Assert.Equal("00:00:01.250000", NmDuration.Format(value));
            Assert.Equal(value, NmDuration.Parse(NmDuration.Format(value)));
        }

        [Theory]
        [InlineData("00:00:00.143637")]
        [InlineData("1 00:09:30")]
        [InlineData("12 23:59:59.5")]
        [InlineData("999999 999999:999999:999999.999999999999")]
        [InlineData("00:00:01,25")]
        [InlineData("0:0:0")]
        [InlineData("-1 23:59:59")]
        [InlineData("1  00:00:01")]
        [InlineData("1 days, 00:00:01")]
        [InlineData("00:50")]
        [InlineData("1234567:00:00")]
        [InlineData("00:00:00.1234567890123")]
        [InlineData("00:00:00.")]
        [InlineData("00:00:00.5x")]
        [InlineData("1 -00:00:01")]
        public void The_fast_reading_of_the_canonical_form_agrees_with_the_patterns(string text)
        {
            var fast = NmDuration.TryParse(text, out var fastValue, out var fastProblem, canonicalFastPath: true);
            var slow = NmDuration.TryParse(text, out var slowValue, out var slowProblem, canonicalFastPath: false);
            Assert.Equal(slow, fast);
            Assert.Equal(slowValue, fastValue);
            Assert.Equal(slowProblem, fastProblem);
        }

        [Fact]
        public void The_fast_reading_agrees_with_the_patterns_on_many_generated_durations()
        {
            var random = new Random(8);
            for (var n = 0; n < 20000; n++)
            {
                var text = (random.Next(3) == 0 ? random.Next(0, 40) + " " : string.Empty)
                    + random.Next(0, 150).ToString("00") + ":" + random.Next(0, 70).ToString("00") + ":" + random.Next(0, 70).ToString("00")
                    + (random.Next(2) == 0 ? "." + random.Next(0, 1000000).ToString().PadLeft(random.Next(1, 7), '0') : string.Empty);
                Assert.True(NmDuration.TryParseCanonical(text, out var fast), text);
                Assert.True(NmDuration.TryParse(text, out var slow, out _, canonicalFastPath: false), text);
                Assert.Equal(slow, fast);
            }
        }
    }
}
