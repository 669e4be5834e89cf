using System.Text.Json;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>Which start events a person may trigger, whichever list ProcessMaker 4 put them in.</summary>
    public class PmStartEventTests
    {
        private const string Manual = "{\"id\":\"node_1\",\"name\":\"Start\",\"config\":\"{}\",\"eventDefinitions\":[],\"ownerProcessId\":\"ProcessId\"}";
        private const string Timer = "{\"id\":\"node_9\",\"name\":\"Weekly\",\"config\":\"{}\",\"eventDefinitions\":[{\"$type\":\"timerEventDefinition\",\"id\":\"t1\",\"timeCycle\":{\"$type\":\"timeCycle\",\"body\":\"R/2026-01-01T02:00:00Z/P1D\"}}]}";
        private const string WebEntry = "{\"id\":\"node_7\",\"name\":\"Form\",\"config\":\"{\\\"web_entry\\\":{\\\"mode\\\":\\\"ANONYMOUS\\\"}}\",\"eventDefinitions\":[]}";
        private const string NoWebEntry = "{\"id\":\"node_3\",\"name\":\"Plain\",\"config\":\"{\\\"web_entry\\\":null}\",\"eventDefinitions\":[]}";
        private const string Message = "{\"id\":\"node_4\",\"name\":\"Message\",\"config\":\"{}\",\"eventDefinitions\":[{\"$type\":\"messageEventDefinition\",\"id\":\"m1\"}]}";

        private static PmProcess Parse(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return PmProcess.FromJson(doc.RootElement);
        }

        [Fact]
        public void Include_events_of_an_admin_keeps_timers_and_the_client_drops_them()
        {
            // GET /processes/1?include=events as an admin: "events" is getStartEvents(true), timers included.
            var process = Parse("{\"id\":1,\"name\":\"Onboarding\",\"status\":\"ACTIVE\",\"events\":[" + Manual + "," + Timer + "],\"start_events\":[" + Manual + "," + Timer + "]}");
            Assert.Equal(new[] { "node_1" }, process.StartEvents.Select(e => e.Id));
        }

        [Fact]
        public void List_rows_with_both_lists_give_the_startable_ones()
        {
            var process = Parse("{\"id\":1,\"name\":\"Onboarding\",\"events\":[" + Manual + "," + Timer + "," + WebEntry + "],\"startEvents\":[" + Manual + "]}");
            Assert.Equal(new[] { "node_1" }, process.StartEvents.Select(e => e.Id));
        }

        [Fact]
        public void Web_entry_and_timer_events_are_dropped_from_any_list_while_message_events_stay()
        {
            var process = Parse("{\"id\":2,\"start_events\":[" + Timer + "," + WebEntry + "," + NoWebEntry + "," + Message + "]}");
            Assert.Equal(new[] { "node_3", "node_4" }, process.StartEvents.Select(e => e.Id));
            Assert.Equal(2, process.StartEvents[0].ProcessId);
        }

        [Fact]
        public void A_timer_only_process_has_no_startable_event()
        {
            Assert.Empty(Parse("{\"id\":3,\"events\":[" + Timer + "]}").StartEvents);
        }
    }
}
