using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.Models;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    public class NmValuesTests
    {
        private static object? Simplify(string json) => NmValues.Simplify(JsonDocument.Parse(json).RootElement.ToPlain());

        [Theory]
        [InlineData("{\"inputValue\":\"Ada\"}", "Ada")]
        [InlineData("{\"itemSelected\":\"Sales\"}", "Sales")]
        [InlineData("{\"inputValue\":{\"itemSelected\":\"IT\"}}", "IT")]
        [InlineData("{\"inputValue\":{\"radioItemSelected\":\"Approve\"}}", "Approve")]
        [InlineData("{\"inputValue\":{\"itemsChecked\":[\"Laptop\",\"Phone\"],\"itemsNotChecked\":[]}}", "Laptop;Phone")]
        [InlineData("{\"inputValue\":{\"itemsChecked\":[]}}", "")]
        [InlineData("{\"inputValue\":42}", "42")]
        [InlineData("\"plain\"", "plain")]
        public void Documented_shapes_read_as_a_person_reads_them(string json, string expected)
        {
            Assert.Equal(expected, Convert.ToString(Simplify(json), System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void A_date_becomes_a_utc_datetime()
        {
            var value = Simplify("{\"date\":\"2021-06-16T12:00:00.000+02:00\"}");
            var date = Assert.IsType<DateTime>(value);
            Assert.Equal(new DateTime(2021, 6, 16, 10, 0, 0, DateTimeKind.Utc), date);
            Assert.Equal(DateTimeKind.Utc, date.Kind);
            Assert.Equal("not a date", Simplify("{\"date\":\"not a date\"}"));
        }

        [Fact]
        public void Other_shapes_stay_objects_whose_text_is_json()
        {
            var address = Assert.IsType<JsonData>(Simplify("{\"inputValue\":{\"city\":\"Berlin\",\"zipCode\":\"10115\"}}"));
            var text = JsonDocument.Parse(address.ToString()).RootElement;
            Assert.Equal("Berlin", text.GetProperty("city").GetString());
            Assert.Equal("10115", text.GetProperty("zipCode").GetString());
            Assert.Equal(2, text.EnumerateObject().Count());
            var table = Assert.IsType<JsonData>(Simplify("{\"rows\":[1,2],\"inputValue\":\"x\"}"));
            Assert.Equal(2, table.Count);
            var list = Assert.IsType<ValueList<object?>>(Simplify("[{\"inputValue\":\"a\"},\"b\"]"));
            Assert.Equal("a;b", list.ToString());
            Assert.Null(NmValues.Simplify(null));
        }
    }
}
