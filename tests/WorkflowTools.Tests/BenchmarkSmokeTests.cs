using WorkflowTools.Benchmarks;

namespace WorkflowTools.Tests
{
    /// <summary>
    /// Runs the benchmark suite at its --quick sizes, in-process, so the benchmark code keeps working.
    /// Every scenario checks its own work (all instances created, all steps completed, 0 errors) and
    /// throws otherwise; timings at these sizes mean nothing and are not asserted, except the two
    /// properties that do not depend on machine speed.
    /// </summary>
    public class BenchmarkSmokeTests
    {
        [Fact]
        public async Task The_quick_benchmark_run_completes_and_checks_its_work()
        {
            var suite = new BenchmarkSuite(BenchmarkSettings.Quick);
            var rows = await suite.RunAllAsync();

            Assert.Equal(new[] { "1", "2a", "2b", "2e", "2f", "3", "4", "5a", "5b", "5c", "6" }, rows.Select(r => r.Number));
            Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Result)));

            // Streaming writes the first object before it asks for the second page, at any machine speed.
            Assert.True(rows.Single(r => r.Number == "5c").Met);

            // Under the rate limit nothing failed and nothing was answered 429.
            Assert.Contains("0 failures; 0 of 130 answers 429 over all runs", rows.Single(r => r.Number == "4").Result);

            var table = BenchmarkSuite.ToMarkdown(rows);
            Assert.StartsWith("| # | Scenario |", table);
            Assert.Equal(rows.Count + 2, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        [Fact]
        public void Median_is_the_middle_value()
        {
            Assert.Equal(2.0, BenchmarkSuite.Median(new[] { 3.0, 1.0, 2.0 }));
            Assert.Equal(2.5, BenchmarkSuite.Median(new[] { 4.0, 1.0, 2.0, 3.0 }));
        }
    }
}
