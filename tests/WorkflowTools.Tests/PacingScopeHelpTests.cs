using System.IO;

namespace WorkflowTools.Tests
{
    /// <summary>
    /// The pacer's budget is per connection unless Connect-NmService -ShareBudget: two scheduled jobs with one key
    /// otherwise each pace alone. The help says so where a user sets the budget, and what to do about it.
    /// </summary>
    public class PacingScopeHelpTests
    {
        [Fact]
        public void The_help_says_plainly_that_two_jobs_with_one_key_do_not_share_the_budget()
        {
            using var s = new PsSession();
            var parameter = string.Join(" ", s.Run("(Get-Help Connect-NmService -Parameter RequestsPerMinute).description.Text").ThrowIfFailed().Output.Select(o => o.ToString()));
            Assert.Contains("it is not shared with other connections, sessions or processes, unless Connect-NmService -ShareBudget", parameter);
            Assert.Contains("-RequestsPerMinute 50 -RequestsPerHour 1475", parameter);
            var share = string.Join(" ", s.Run("(Get-Help Connect-NmService -Parameter ShareBudget).description.Text").ThrowIfFailed().Output.Select(o => o.ToString()));
            Assert.Contains("never the key itself", share);

            var about = File.ReadAllText(Path.Combine(RepoPaths.ModuleFolder, "en-US", "about_WorkflowTools.help.txt"));
            Assert.Contains("NOT shared between", about);
        }
    }
}
