using System.Collections;
using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    /// <summary>A plain value becomes the input_object its field's type needs (help.nextmatter.com "Complete a step").</summary>
    public class NmFormValuesTests
    {
        private static string Json(object? input) => System.Text.Encoding.UTF8.GetString(JsonBody.Serialize(input));

        [Theory]
        [InlineData("text", "Ada", "{\"inputValue\":\"Ada\"}")]
        [InlineData("text", 5, "{\"inputValue\":\"5\"}")]
        [InlineData("number", 10000, "{\"numberValue\":10000,\"formattedValue\":\"10000\"}")]
        [InlineData("number", 12.5, "{\"numberValue\":12.5,\"formattedValue\":\"12.5\"}")]
        [InlineData("number", "10000", "{\"numberValue\":10000,\"formattedValue\":\"10000\"}")]
        [InlineData("url", "https://example.com/a?b=1", "{\"url\":{\"url\":\"https://example.com/a?b=1\"}}")]
        [InlineData("dropdown", "Sales", "{\"itemSelected\":\"Sales\"}")]
        [InlineData("radio", "Approve", "{\"inputValue\":{\"radioItemSelected\":\"Approve\"}}")]
        [InlineData("checklist", "Laptop", "{\"inputValue\":{\"itemsChecked\":[\"Laptop\"]}}")]
        [InlineData("decision", "complete", "{\"action\":\"complete\"}")]
        [InlineData("decision", "Skip-Forward", "{\"action\":\"skip_forward\"}")]
        [InlineData("routing", "decline", "{\"action\":\"decline\"}")]
        [InlineData("date", "2026-03-01T10:00:00Z", "{\"date\":\"2026-03-01T10:00:00.000Z\"}")]
        [InlineData("file", "x", "{\"inputValue\":\"x\"}")]
        public void A_plain_value_takes_the_shape_of_its_field(string type, object value, string expected)
        {
            Assert.Equal(expected, Json(NmFormValues.ToInputObject(1, value, NmFormValues.KindOf(type))));
        }

        [Fact]
        public void Lists_dates_and_hashtables()
        {
            Assert.Equal("{\"inputValue\":{\"itemsChecked\":[\"Laptop\",\"Phone\"]}}", Json(NmFormValues.ToInputObject(1, new object[] { "Laptop", "Phone" }, NmFieldKind.Checklist)));
            Assert.Equal("{\"date\":\"2026-03-01T00:00:00.000Z\"}", Json(NmFormValues.ToInputObject(1, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), NmFieldKind.Date)));
            var raw = new Hashtable { ["action"] = "return", ["returnToStep"] = 60 };
            Assert.Same(raw, NmFormValues.ToInputObject(1, raw, NmFieldKind.Decision));
            // Without a field type: the old rule (the value's own type).
            Assert.Equal("{\"inputValue\":10000}", Json(NmFormValues.ToInputObject(1, 10000, null)));
        }

        [Fact]
        public void A_radio_or_checklist_inner_object_gets_its_inputValue_wrapper()
        {
            var radio = new Hashtable { ["radioItemSelected"] = "Approve" };
            Assert.Equal("{\"inputValue\":{\"radioItemSelected\":\"Approve\"}}", Json(NmFormValues.ToInputObject(1, radio, NmFieldKind.Radio)));
            Assert.Equal("{\"inputValue\":{\"radioItemSelected\":\"Approve\"}}", Json(NmFormValues.ByValueType(radio)));
            Assert.Equal("{\"inputValue\":{\"itemsChecked\":[\"Laptop\"]}}", Json(NmFormValues.ToInputObject(1, new Hashtable { ["itemsChecked"] = new[] { "Laptop" } }, null)));
            // Already wrapped, or any other shape: as given.
            var wrapped = new Hashtable { ["inputValue"] = radio };
            Assert.Same(wrapped, NmFormValues.ToInputObject(1, wrapped, NmFieldKind.Radio));
            var dropdown = new Hashtable { ["itemSelected"] = "Sales" };
            Assert.Same(dropdown, NmFormValues.ToInputObject(1, dropdown, NmFieldKind.Dropdown));
        }

        [Theory]
        [InlineData("number", "ten")]
        [InlineData("url", "example.com/no-scheme")]
        [InlineData("url", "ftp://example.com/")]
        [InlineData("decision", "approve")]
        [InlineData("decision", "return")]
        [InlineData("date", "yesterday")]
        [InlineData("address", "1 Main St")]
        public void A_value_its_field_cannot_take_fails_with_a_message(string type, string value)
        {
            var ex = Assert.Throws<ArgumentException>(() => NmFormValues.ToInputObject(7, value, NmFormValues.KindOf(type), "Field"));
            Assert.Contains("action 7 (\"Field\")", ex.Message);
        }

        [Theory]
        [InlineData("number", "{\"numberValue\":10000,\"formattedValue\":\"10.000\"}", 10000L)]
        [InlineData("url", "{\"url\":{\"url\":\"https://example.com/\"}}", "https://example.com/")]
        [InlineData("decision", "{\"action\":\"return\",\"comment\":\"no\",\"label\":\"Send back\",\"returnToStep\":-1}", "Send back")]
        [InlineData("decision", "{\"action\":\"complete\"}", "complete")]
        [InlineData(null, "{\"numberValue\":3}", 3L)]
        [InlineData(null, "{\"url\":{\"url\":\"https://example.com/\"}}", "https://example.com/")]
        public void Stored_values_read_back_by_field_type(string? type, string stored, object expected)
        {
            using var doc = JsonDocument.Parse(stored);
            var plain = doc.RootElement.ToPlain();
            Assert.Equal(expected, type == null ? NmValues.Simplify(plain) : NmValues.Simplify(plain, NmFormValues.KindOf(type)));
        }
    }
}
