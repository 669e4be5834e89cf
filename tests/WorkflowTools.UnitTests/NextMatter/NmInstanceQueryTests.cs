using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    public class NmInstanceQueryTests
    {
        private static readonly DateTime A = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        private static readonly DateTime B = new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc);

        [Fact]
        public void Every_filter_becomes_the_documented_query_parameter()
        {
            var query = new NmInstanceQuery
            {
                MinTotalRuntime = TimeSpan.FromSeconds(50),
                MaxTotalRuntime = new TimeSpan(1, 0, 9, 30),
                Status = NmInstanceStatus.Aborted,
                Name = "Ada & co",
                Tags = new[] { "a", "b c" },
                Priority = NmPriority.VeryHigh,
                ActiveStepId = 42,
                MinProgress = 12.5,
                MaxProgress = 90,
                StartedAfter = A,
                StartedBefore = B,
                LastUpdatedAfter = A,
                LastUpdatedBefore = B,
                DeadlineAfter = A,
                DeadlineBefore = B,
                StepDeadlineAfter = A,
                StepDeadlineBefore = B,
                AbortedAfter = A,
                AbortedBefore = B,
                CompletedAfter = A,
                CompletedBefore = B,
                EndedAfter = A,
                EndedBefore = B,
                LeadUserId = 7,
                InstanceIds = new long[] { 1001, 1002 },
                Search = "Lovelace",
                SortBy = NmInstanceSortBy.TotalRuntime,
                Descending = true,
                PageSize = 250,
                IncludeValues = true,
            };

            var pairs = query.ToQuery().Pairs.Select(p => $"{p.Key}={p.Value}").ToArray();
            const string a = "2026-01-02T03:04:05.678Z";
            const string b = "2026-02-03T04:05:06.000Z";
            Assert.Equal(
                new[]
                {
                    "total_runtime_min=00:00:50", "total_runtime_max=1 00:09:30", "status=aborted", "name=Ada & co", "tags=a,b c",
                    "priority=V", "active_step_id=42", "progress_min=12.5", "progress_max=90",
                    $"started_time_after={a}", $"started_time_before={b}", $"last_updated_time_after={a}", $"last_updated_time_before={b}",
                    $"deadline_after={a}", $"deadline_before={b}", $"step_deadline_after={a}", $"step_deadline_before={b}",
                    $"aborted_time_after={a}", $"aborted_time_before={b}", $"completed_time_after={a}", $"completed_time_before={b}",
                    $"ended_time_after={a}", $"ended_time_before={b}", "lead_user=7", "instance_ids=1001,1002", "query=Lovelace",
                    "ordering=-total_runtime", "limit=250", "page_size=250", "inject_values=true",
                },
                pairs);
            Assert.Contains("name=Ada%20%26%20co", query.ToQuery().ToString());
        }

        [Fact]
        public void The_page_size_is_bounded_once_here_and_zero_leaves_the_default()
        {
            Assert.Equal(string.Empty, new NmInstanceQuery { PageSize = 0 }.ToQuery().ToString());
            Assert.Equal("?limit=1&page_size=1", new NmInstanceQuery { PageSize = 1 }.ToQuery().ToString());
            Assert.Equal("?limit=500&page_size=500", new NmInstanceQuery { PageSize = 900 }.ToQuery().ToString());
        }

        [Fact]
        public void Nothing_set_means_no_query_and_unfilterable_values_are_left_out()
        {
            Assert.Equal(string.Empty, new NmInstanceQuery().ToQuery().ToString());
            var q = new NmInstanceQuery { Status = NmInstanceStatus.Unknown, Priority = NmPriority.Regular, Name = "", Tags = Array.Empty<string>() };
            Assert.Equal(string.Empty, q.ToQuery().ToString());
        }

        [Theory]
        [InlineData(NmInstanceSortBy.Name, false, "name")]
        [InlineData(NmInstanceSortBy.StartedTime, true, "-started_time")]
        [InlineData(NmInstanceSortBy.LastUpdatedTime, false, "last_updated_time")]
        [InlineData(NmInstanceSortBy.EndedTime, false, "ended_time")]
        [InlineData(NmInstanceSortBy.Progress, true, "-progress")]
        public void Sort_keys_are_next_matters_ordering_values(NmInstanceSortBy sort, bool descending, string expected)
        {
            var pair = Assert.Single(new NmInstanceQuery { SortBy = sort, Descending = descending }.ToQuery().Pairs);
            Assert.Equal("ordering", pair.Key);
            Assert.Equal(expected, pair.Value);
        }

        [Fact]
        public void Local_times_are_sent_in_utc()
        {
            var local = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local);
            var pair = Assert.Single(new NmInstanceQuery { StartedAfter = local }.ToQuery().Pairs);
            Assert.Equal(local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), pair.Value);
        }
    }
}
