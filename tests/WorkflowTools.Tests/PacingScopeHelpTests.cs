using System.IO;

namespace WorkflowTools.Tests
{
    /// <summary>
    /// The pacer's budget is per connection, not per key or machine: two scheduled jobs with one key each pace alone.
    /// The help says so where a user sets the budget, and says what to do (issue 27: "or the help says plainly").
    /// </summary>
    public class PacingScopeHelpTests
    {
        [Fact]
        public void The_help_says_plainly_that_two_jobs_with_one_key_do_not_share_the_budget()
        {
            using var s = new PsSession();
            var parameter = string.Join(" ", s.Run("(Get-Help Connect-NmService -Parameter RequestsPerMinute).description.Text").ThrowIfFailed().Output.Select(o => o.ToString()));
            Assert.Contains("it is not shared with other connections, sessions or processes", parameter);
            Assert.Contains("-RequestsPerMinute 50 -RequestsPerHour 1475", parameter);

            var about = File.ReadAllText(Path.Combine(RepoPaths.ModuleFolder, "en-US", "about_WorkflowTools.help.txt"));
            Assert.Contains("NOT shared between", about);
        }
    }
}
