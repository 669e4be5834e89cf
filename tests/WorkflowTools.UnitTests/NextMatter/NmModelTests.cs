using System.Text.Json;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    public class NmModelTests
    {
        [Fact]
        public void A_process_body_flattens_into_steps_and_actions()
        {
            var json = "{\"id\":7,\"name\":\"Review\",\"url\":\"https://x/api/processes/7/\",\"steps\":[" +
                "{\"id\":1,\"name\":\"First\",\"actions\":[{\"id\":11,\"name\":\"Text\",\"type\":\"text\",\"required\":true}," +
                "{\"id\":12,\"name\":\"Pick\",\"type\":\"dropdown\",\"settings\":{\"required\":false,\"options\":[\"x\",\"y\"]}}]}," +
                "{\"id\":2,\"title\":\"Second\"}]}";
            var process = NmProcess.FromJson(JsonDocument.Parse(json).RootElement);
            Assert.Equal(7, process.Id);
            Assert.Equal(2, process.StepCount);
            Assert.Equal(2, process.ActionCount);
            Assert.Equal("1 First;2 Second", process.Steps.ToString());
            var second = process.Steps[1];
            Assert.Equal(2, second.Position);
            Assert.Equal("Second", second.Name);
            Assert.Empty(second.Actions);
            var pick = process.Steps[0].Actions[1];
            Assert.Equal((7L, 1L, "First", 12L, "dropdown", false, "x;y"), (pick.ProcessId, pick.StepId, pick.StepName, pick.Id, pick.Type, pick.Required, pick.Options.ToString()));
            Assert.True(process.Steps[0].Actions[0].Required);
        }

        [Theory]
        [InlineData("{\"id\":1,\"total_runtime\":\"1 00:09:30.987654\"}", "1.00:09:30")]
        [InlineData("{\"id\":1,\"total_runtime\":93784.9}", "1.02:03:04")]
        [InlineData("{\"id\":1,\"started_time\":\"2026-01-05T09:00:00.25Z\",\"completed_time\":\"2026-01-05T09:00:41.99Z\"}", "00:00:41")]
        [InlineData("{\"id\":1,\"status\":\"running\",\"started_time\":\"2026-01-05T08:59:59.9Z\"}", "00:00:00")]
        public void A_runtime_is_whole_seconds_so_its_text_has_no_fraction(string json, string text)
        {
            var now = new System.DateTime(2026, 1, 5, 9, 0, 0, 400, System.DateTimeKind.Utc);
            var instance = NmInstance.FromJson(JsonDocument.Parse(json).RootElement, now);
            Assert.Equal(text, instance.TotalRuntime!.Value.ToString());
        }

        [Fact]
        public void A_process_body_without_steps_is_read_without_failing()
        {
            var process = NmProcess.FromJson(JsonDocument.Parse("{\"id\":3}").RootElement);
            Assert.Equal(0, process.StepCount);
            Assert.Equal(string.Empty, process.Steps.ToString());
        }

        [Fact]
        public void An_update_describes_itself_and_computes_tags()
        {
            var update = new NmInstanceUpdate { AddTags = new[] { "b", "c" }, RemoveTags = new[] { "a" } };
            Assert.True(update.NeedsCurrentTags);
            Assert.False(update.IsEmpty);
            Assert.Equal(new[] { "b", "c" }, update.TagsFrom(new[] { "a", "b" }));
            Assert.Equal("Set add tags 'b;c', remove tags 'a'", update.Describe());
            Assert.True(new NmInstanceUpdate().IsEmpty);
            Assert.True(new NmInstanceUpdate { AddTags = Array.Empty<string>() }.IsEmpty);
            Assert.False(new NmInstanceUpdate { Tags = new[] { "x" }, AddTags = new[] { "y" } }.NeedsCurrentTags);
        }

        [Fact]
        public void An_answer_alone_never_says_step_not_active_whatever_its_wording()
        {
            // The wording is undocumented: only CompleteStepAsync, after reading the instance, marks the error.
            var error = ApiErrorParser.FromResponse("Next Matter", "POST", "/api/instances/1/complete_step/", 400, null, System.Text.Encoding.UTF8.GetBytes("{\"detail\":\"Step 44 is not active.\"}"), "application/json");
            Assert.False(NmClient.IsStepNotActive(error));
        }
    }
}
