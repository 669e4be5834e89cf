using System.Collections;
using System.Text;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests
{
    public class JsonBodyTests
    {
        private static string Json(object? value) => Encoding.UTF8.GetString(JsonBody.Serialize(value));

        [Fact]
        public void Writes_nested_tables_lists_and_scalars()
        {
            var table = new System.Collections.Specialized.OrderedDictionary
            {
                ["name"] = "Ada",
                ["count"] = 3,
                ["ratio"] = 0.5,
                ["ok"] = true,
                ["none"] = null,
                ["list"] = new object[] { 1, "two", new Hashtable { ["x"] = 1 } },
                ["when"] = new DateTime(2026, 1, 5, 9, 30, 0, DateTimeKind.Utc),
            };
            Assert.Equal("{\"name\":\"Ada\",\"count\":3,\"ratio\":0.5,\"ok\":true,\"none\":null,\"list\":[1,\"two\",{\"x\":1}],\"when\":\"2026-01-05T09:30:00.000Z\"}", Json(table));
        }

        [Fact]
        public void Refuses_values_without_a_json_form()
        {
            Assert.False(JsonBody.TryValidate(new Hashtable { ["p"] = new System.IO.MemoryStream() }, out var problem));
            Assert.Contains("$.p", problem);
            Assert.False(JsonBody.TryValidate(new Hashtable { ["n"] = double.NaN }, out _));
            Assert.False(JsonBody.TryValidate(new Hashtable { [""] = 1 }, out _));
            var loop = new Hashtable();
            loop["self"] = loop;
            Assert.False(JsonBody.TryValidate(loop, out _));
        }

        [Fact]
        public void Short_form_values_become_next_matter_input_objects()
        {
            Assert.Equal("{\"inputValue\":\"Value 1\"}", Json(NmClient.ActionFromValue(1, "Value 1").InputObject));
            Assert.Equal("{\"date\":\"2021-06-16T10:00:00.000Z\"}", Json(NmClient.ActionFromValue(1, new DateTime(2021, 6, 16, 10, 0, 0, DateTimeKind.Utc)).InputObject));
            var raw = new Hashtable { ["itemSelected"] = "Value 2" };
            Assert.Same(raw, NmClient.ActionFromValue(1, raw).InputObject);
        }

        [Fact]
        public void Json_data_reads_back_as_a_case_insensitive_table_whose_text_is_json()
        {
            using var doc = System.Text.Json.JsonDocument.Parse("{\"Name\":\"x\",\"n\":2,\"list\":[1,2]}");
            var data = (JsonData)doc.RootElement.ToPlain()!;
            Assert.Equal("x", data["name"]);
            Assert.Equal(2L, data["N"]);
            Assert.Contains("\"list\":[1,2]", data.ToString());
        }
    }
}
