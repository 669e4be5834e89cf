using System.Text;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.UnitTests
{
    public class PmCoreTests
    {
        private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        [Theory]
        [InlineData("{\"sub\":\"42\",\"aud\":\"3\"}", 42L)]
        [InlineData("{\"sub\":7}", 7L)]
        [InlineData("{\"sub\":\"\"}", null)]
        [InlineData("{\"aud\":\"3\"}", null)]
        public void Reads_the_user_id_from_a_passport_jwt(string payload, long? expected)
        {
            var token = B64("{\"typ\":\"JWT\",\"alg\":\"RS256\"}") + "." + B64(payload) + ".c2lnbmF0dXJl";
            Assert.Equal(expected, PassportToken.TryReadUserId(token));
            Assert.Equal(expected, PassportToken.TryReadUserId("Bearer " + token));
        }

        [Theory]
        [InlineData("sandbox-processmaker-token")]
        [InlineData("a.b")]
        [InlineData("a.!!!.c")]
        [InlineData("")]
        [InlineData(null)]
        public void Anything_else_gives_no_user(string? token)
        {
            Assert.Null(PassportToken.TryReadUserId(token));
        }

        [Theory]
        [InlineData(null, null, null)]
        [InlineData("process_id = 2", null, "process_id = 2")]
        [InlineData(null, " status = \"ACTIVE\" ", "status = \"ACTIVE\"")]
        [InlineData("process_id = 2", "status = \"ACTIVE\"", "process_id = 2 AND (status = \"ACTIVE\")")]
        [InlineData("process_id = 2", "status = \"ACTIVE\" OR status = \"ERROR\"", "process_id = 2 AND (status = \"ACTIVE\" OR status = \"ERROR\")")]
        [InlineData("process_id = 2", "data.note = \"this or that\"", "process_id = 2 AND (data.note = \"this or that\")")]
        [InlineData("process_id = 2", "status = \"ERROR\"OR status = \"ACTIVE\"", "process_id = 2 AND (status = \"ERROR\"OR status = \"ACTIVE\")")]
        public void Pmql_conditions_combine_safely(string? ours, string? users, string? expected)
        {
            Assert.Equal(expected, PmqlText.Combine(ours, users));
        }

        [Fact]
        public void Request_and_task_queries_use_processmakers_names()
        {
            var requests = new PmRequestQuery { Status = PmRequestListStatus.InProgress, ProcessId = 5, SortBy = PmRequestSortBy.InitiatedAt, Descending = true, PageSize = 50, IncludeData = true }.ToQuery().ToString();
            Assert.Equal("?type=in_progress&pmql=process_id%20%3D%205&order_by=initiated_at&order_direction=desc&per_page=50&include=data", requests);
            Assert.Equal(string.Empty, new PmRequestQuery().ToQuery().ToString());

            var tasks = new PmTaskQuery { RequestId = 5, Status = PmTaskStatus.EventCatch, UserId = 2, SortBy = PmTaskSortBy.DueAt }.ToQuery().ToString();
            Assert.Equal("?process_request_id=5&status=EVENT_CATCH&user_id=2&order_by=due_at&order_direction=asc", tasks);
        }

        [Theory]
        [InlineData(PmRequestListStatus.Active, null, "?type=in_progress")]
        [InlineData(PmRequestListStatus.InProgress, null, "?type=in_progress")]
        [InlineData(PmRequestListStatus.Completed, null, "?type=completed")]
        [InlineData(PmRequestListStatus.Canceled, null, "?pmql=status%20%3D%20%22CANCELED%22")]
        [InlineData(PmRequestListStatus.Error, 5L, "?pmql=status%20%3D%20%22ERROR%22%20AND%20process_id%20%3D%205")]
        public void Request_statuses_select_what_the_objects_show(PmRequestListStatus status, long? processId, string expected)
        {
            Assert.Equal(expected, new PmRequestQuery { Status = status, ProcessId = processId }.ToQuery().ToString());
        }

        [Fact]
        public void A_request_status_condition_keeps_the_users_pmql()
        {
            var query = new PmRequestQuery { Status = PmRequestListStatus.Canceled, Pmql = "process_id = 1 OR process_id = 2" }.ToQuery().ToString();
            Assert.Equal("?pmql=" + Uri.EscapeDataString("status = \"CANCELED\" AND (process_id = 1 OR process_id = 2)"), query);
        }

        [Theory]
        [InlineData("ACTIVE", PmTaskStatus.Active)]
        [InlineData("CLOSED", PmTaskStatus.Closed)]
        [InlineData("EVENT_CATCH", PmTaskStatus.EventCatch)]
        [InlineData("SOMETHING_NEW", PmTaskStatus.Unknown)]
        [InlineData(null, PmTaskStatus.Unknown)]
        public void Task_statuses_parse_tolerantly(string? text, PmTaskStatus expected)
        {
            Assert.Equal(expected, PmTask.ParseStatus(text));
        }
    }
}
