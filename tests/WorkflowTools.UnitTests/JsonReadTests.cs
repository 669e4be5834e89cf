using System.Globalization;
using System.Text.Json;
using WorkflowTools.Json;

namespace WorkflowTools.UnitTests
{
    public class JsonReadTests
    {
        [Theory]
        [InlineData("2026-01-05T09:00:00.033458Z")]
        [InlineData("2026-01-05T09:00:00Z")]
        [InlineData("2026-01-05T09:00:00z")]
        [InlineData("2026-01-05T09:00:00+02:00")]
        [InlineData("2026-01-05T09:00:00.1234567-05:30")]
        [InlineData("2026-01-05T23:59:59.9999999+14:00")]
        [InlineData("2026-01-05T09:00:00")]
        [InlineData("2026-01-05T09:00")]
        [InlineData("2026-01-05 09:00:00")]
        [InlineData("2026-01-05")]
        [InlineData("2026-01-05T09:00:00.000000+00:00")]
        [InlineData("05/01/2026 09:00:00")]
        public void Timestamps_read_the_same_as_the_general_parser_with_utc_assumed(string text)
        {
            using var doc = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["t"] = text }));
            var expected = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed.UtcDateTime
                : (DateTime?)null;
            var actual = doc.RootElement.Date("t");
            Assert.Equal(expected, actual);
            Assert.True(actual == null || actual.Value.Kind == DateTimeKind.Utc);
        }

        [Fact]
        public void A_missing_null_or_unreadable_timestamp_is_null()
        {
            using var doc = JsonDocument.Parse("{\"a\":null,\"b\":\"soon\",\"c\":\"\",\"d\":[]}");
            Assert.Null(doc.RootElement.Date("a"));
            Assert.Null(doc.RootElement.Date("b"));
            Assert.Null(doc.RootElement.Date("c"));
            Assert.Null(doc.RootElement.Date("d"));
            Assert.Null(doc.RootElement.Date("missing"));
        }
    }
}
