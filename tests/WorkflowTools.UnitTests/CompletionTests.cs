using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Completion;

namespace WorkflowTools.UnitTests
{
    public class ShortLivedCacheTests
    {
        private DateTime _now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void Entries_expire_after_their_time_to_live()
        {
            var cache = new ShortLivedCache<string, int>(TimeSpan.FromMinutes(2), clock: () => _now);
            cache.Set("a", 1);
            _now += TimeSpan.FromSeconds(119);
            Assert.True(cache.TryGet("a", out var value));
            Assert.Equal(1, value);
            _now += TimeSpan.FromSeconds(1);
            Assert.False(cache.TryGet("a", out _));
            Assert.Equal(0, cache.Count);
        }

        [Fact]
        public async Task GetOrAdd_calls_the_factory_once_while_fresh_and_does_not_cache_failures()
        {
            var cache = new ShortLivedCache<string, int>(TimeSpan.FromMinutes(1), clock: () => _now);
            var calls = 0;
            await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrAddAsync("k", _ => { calls++; throw new InvalidOperationException(); }, CancellationToken.None));
            Assert.Equal(7, await cache.GetOrAddAsync("k", _ => { calls++; return Task.FromResult(7); }, CancellationToken.None));
            Assert.Equal(7, await cache.GetOrAddAsync("k", _ => { calls++; return Task.FromResult(8); }, CancellationToken.None));
            Assert.Equal(2, calls);
        }

        [Fact]
        public void A_full_cache_drops_the_oldest_entry()
        {
            var cache = new ShortLivedCache<int, int>(TimeSpan.FromMinutes(1), capacity: 2, clock: () => _now);
            cache.Set(1, 1);
            _now += TimeSpan.FromSeconds(1);
            cache.Set(2, 2);
            cache.Set(3, 3);
            Assert.False(cache.TryGet(1, out _));
            Assert.True(cache.TryGet(2, out _));
            Assert.True(cache.TryGet(3, out _));
        }
    }

    public class CompletionCandidateTests
    {
        private static readonly CompletionCandidate[] Workflows =
        {
            new CompletionCandidate("1", "Employee onboarding"),
            new CompletionCandidate("12", "Offboarding"),
            new CompletionCandidate("21", null),
        };

        [Theory]
        [InlineData("", "1,12,21")]
        [InlineData("1", "1,12")]
        [InlineData("'1", "1,12")]
        [InlineData("board", "1,12")]
        [InlineData("OFF", "12")]
        [InlineData("2", "21")]
        [InlineData("x", "")]
        public void Matches_ids_by_prefix_then_names_by_substring(string word, string expected)
        {
            Assert.Equal(expected, string.Join(",", CompletionCandidate.Match(Workflows, word).Select(c => c.Value)));
        }

        [Fact]
        public void The_menu_shows_id_and_name()
        {
            Assert.Equal("1 Employee onboarding", Workflows[0].ListItem);
            Assert.Equal("21", Workflows[2].ListItem);
        }
    }

    public class SeenWorkflowsTests
    {
        [Fact]
        public void Workflows_are_kept_per_api_base_most_recent_first()
        {
            var base1 = new Uri("https://seen-a.example.test/api/");
            SeenWorkflows.Remember("https://seen-a.example.test/api/processes/5/", 5);
            SeenWorkflows.Remember("https://SEEN-A.example.test/api/processes/7/", 7);
            SeenWorkflows.Remember("https://seen-a.example.test/api/processes/5/", 5);
            SeenWorkflows.Remember("https://seen-b.example.test/api/processes/9/", 9);
            SeenWorkflows.Remember(null, 3);
            SeenWorkflows.Remember("not a process url", 4);
            Assert.Equal(new long[] { 5, 7 }, SeenWorkflows.For(base1));
            Assert.Equal(new long[] { 9 }, SeenWorkflows.For(new Uri("https://seen-b.example.test/api")));
        }
    }
}
