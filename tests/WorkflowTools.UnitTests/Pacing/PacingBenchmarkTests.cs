using Xunit.Abstractions;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests.Pacing
{
    /// <summary>
    /// The adaptive-pacing benchmark (docs/benchmarks.md), in simulated time: the module's default pacing
    /// (100/min, 2950/h) against the sandbox's limiter set to Next Matter's two documented limits.
    /// </summary>
    public class PacingBenchmarkTests
    {
        private readonly ITestOutputHelper _output;

        public PacingBenchmarkTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_server_limited_to_100_per_minute(bool retryAfter)
        {
            var result = PacingSimulation.Run(TimeSpan.FromMinutes(20), serverPerMinute: 100, serverPerHour: null, retryAfter);
            _output.WriteLine(result.ToString());
            Assert.True(result.ThroughputShare >= 0.95, result.ToString());
            Assert.True(result.ThrottledShare < 0.01, result.ToString());
            Assert.Equal(0, result.Failed);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_server_limited_to_3000_per_hour(bool retryAfter)
        {
            var result = PacingSimulation.Run(TimeSpan.FromHours(3), serverPerMinute: null, serverPerHour: 3000, retryAfter);
            _output.WriteLine(result.ToString());
            Assert.True(result.ThroughputShare >= 0.95, result.ToString());
            Assert.True(result.ThrottledShare < 0.01, result.ToString());
            Assert.Equal(0, result.Failed);
        }

        [Fact]
        public void A_server_with_both_limits()
        {
            var result = PacingSimulation.Run(TimeSpan.FromHours(2), serverPerMinute: 100, serverPerHour: 3000, retryAfter: false);
            _output.WriteLine(result.ToString());
            Assert.True(result.ThroughputShare >= 0.95, result.ToString());
            Assert.True(result.ThrottledShare < 0.01, result.ToString());
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_server_stricter_than_documented_is_learned(bool retryAfter)
        {
            // 60/min where 100/min is documented: the pacer slows down on the 429s and creeps back up.
            var result = PacingSimulation.Run(TimeSpan.FromHours(1), serverPerMinute: 60, serverPerHour: null, retryAfter);
            _output.WriteLine(result.ToString());
            Assert.True(result.ThrottledShare < 0.02, result.ToString());
            Assert.True(result.ThroughputShare >= 0.65, result.ToString());
            Assert.True(result.FinalRatePerMinute < 60, result.ToString());
        }
    }
}
