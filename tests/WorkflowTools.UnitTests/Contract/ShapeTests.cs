using System.Text.Json;

namespace WorkflowTools.UnitTests.Contract
{
    /// <summary>How the contract check (b) judges lists: the rules <see cref="Shape"/> documents.</summary>
    public class ShapeTests
    {
        private static List<string> Problems(string expected, string actual, bool exactKeys = false)
        {
            using var e = JsonDocument.Parse(expected);
            using var a = JsonDocument.Parse(actual);
            var problems = new List<string>();
            Shape.Compare(e.RootElement, a.RootElement, exactKeys, "$", problems);
            return problems;
        }

        [Fact]
        public void A_documented_list_answered_empty_fails()
        {
            var problems = Problems("""{"events":[{"id":"node_1"}]}""", """{"events":[]}""");
            Assert.Equal(new[] { "$.events is an empty list, documented with 1 element(s)" }, problems);
        }

        [Fact]
        public void A_documented_empty_list_answered_with_elements_fails()
        {
            var problems = Problems("""{"links":[]}""", """{"links":[{"url":null}]}""");
            Assert.Equal(new[] { "$.links has 1 element(s), documented as an empty list (document an element's shape)" }, problems);
        }

        [Fact]
        public void Every_element_is_checked_not_only_those_the_fixture_has_positions_for()
        {
            var problems = Problems("""[{"id":1,"name":"a"}]""", """[{"id":1,"name":"a"},{"id":2,"name":"b"},{"id":"3","name":"c"}]""");
            Assert.Equal(new[] { "$[2].id is String, documented Number" }, problems);
        }

        [Fact]
        public void An_element_may_match_any_documented_element_whatever_its_position()
        {
            const string documented = """[{"id":"node_1","eventDefinitions":[]},{"id":"node_9","eventDefinitions":[{"$type":"timerEventDefinition"}]}]""";
            Assert.Empty(Problems(documented, """[{"id":"node_9","eventDefinitions":[{"$type":"timerEventDefinition"}]},{"id":"node_1","eventDefinitions":[]}]"""));
            Assert.Empty(Problems(documented, """[{"id":"node_1","eventDefinitions":[]}]"""));
        }

        [Fact]
        public void An_element_that_matches_no_documented_element_is_reported_against_the_closest()
        {
            var problems = Problems("""[{"id":1,"name":"a","status":"x","tag":"t"},{"id":1}]""", """[{"id":1,"name":"a"}]""", exactKeys: true);
            Assert.Equal(new[] { "$[0].name is not in the documented shape" }, problems);
        }

        [Fact]
        public void Lists_of_different_lengths_with_matching_elements_pass()
        {
            Assert.Empty(Problems("""[1,2,3]""", """[4]"""));
            Assert.Empty(Problems("""[1]""", """[4,5,6,7]"""));
            Assert.Empty(Problems("""[]""", """[]"""));
        }
    }
}
