using System.Text.Json;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    /// <summary>Multi-value dropdowns (<c>itemsSelected</c>) and the kinds of type names: known, undocumented, unknown.</summary>
    public class NmFieldKindTests
    {
        private static string Json(object? input) => System.Text.Encoding.UTF8.GetString(JsonBody.Serialize(input));

        [Theory]
        [InlineData("multi_dropdown")]
        [InlineData("Multi-Select")]
        [InlineData("multi value dropdown")]
        [InlineData("multiselect")]
        public void Multi_value_dropdown_names_are_read_as_one_kind(string type) => Assert.Equal(NmFieldKind.MultiDropdown, NmFormValues.KindOf(type));

        [Theory]
        [InlineData("file", "Undocumented")]
        [InlineData("image", "Undocumented")]
        [InlineData("user", "Undocumented")]
        [InlineData("table", "Undocumented")]
        [InlineData("signature", "Other")]
        [InlineData("slider", "Other")]
        [InlineData("", "Other")]
        public void Known_but_undocumented_names_differ_from_unknown_ones(string type, string kind) => Assert.Equal(kind, NmFormValues.KindOf(type).ToString());

        [Fact]
        public void A_multi_value_dropdown_takes_a_list_or_one_value_as_itemsSelected()
        {
            Assert.Equal("{\"itemsSelected\":[\"Laptop\",\"Phone\"]}", Json(NmFormValues.ToInputObject(1, new object[] { "Laptop", "Phone" }, NmFieldKind.MultiDropdown)));
            Assert.Equal("{\"itemsSelected\":[\"Laptop\"]}", Json(NmFormValues.ToInputObject(1, "Laptop", NmFieldKind.MultiDropdown)));
            Assert.Equal("{\"itemsSelected\":[]}", Json(NmFormValues.ToInputObject(1, null, NmFieldKind.MultiDropdown)));
        }

        [Fact]
        public void A_stored_itemsSelected_reads_as_a_list()
        {
            using var doc = JsonDocument.Parse("{\"itemsSelected\":[\"Laptop\",\"Phone\"]}");
            var value = NmValues.Simplify(doc.RootElement.ToPlain(), NmFieldKind.MultiDropdown);
            Assert.Equal("Laptop;Phone", value?.ToString());
        }
    }
}
