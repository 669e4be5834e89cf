using System.IO;
using System.Text.Json.Nodes;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>Export-WorkflowToolsSandboxSeed -IncludePeople: users, groups and memberships, without secrets or (by default) personal data.</summary>
    public class SeedPeopleExportTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-people-" + Guid.NewGuid().ToString("N"));

        public SeedPeopleExportTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        [Fact]
        public void People_exported_from_one_sandbox_seed_a_second_with_the_same_groups_and_no_secret()
        {
            var first = Path.Combine(_dir, "first.json");
            var personal = Path.Combine(_dir, "personal.json");
            var second = Path.Combine(_dir, "second.json");
            using var s = new PsSession();
            try
            {
                s.Run("$a = Start-WorkflowToolsSandbox -FrozenClock -NoDemoData; $c = $a.PmConnection").ThrowIfFailed();
                s.Run("$u = New-PmUser -UserName 'zoe.export' -FirstName 'Zoë' -LastName 'Export' -Email 'zoe@example.com' -Password (ConvertTo-SecureString 'Export-Pa55!' -AsPlainText -Force) -Status Inactive -Connection $c; " +
                      "$outer = New-PmGroup -Name 'Outer' -Description 'all' -Connection $c; $inner = New-PmGroup -Name 'Inner' -Connection $c; " +
                      "Add-PmGroupMember -GroupId $inner.Id -UserId $u.Id, 2 -Connection $c; Add-PmGroupMember -GroupId $outer.Id -MemberGroupId $inner.Id -Connection $c").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{first}' -IncludePeople -PmConnection $c").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{personal}' -IncludePeople -IncludePersonalData -PmConnection $c").ThrowIfFailed();
                s.Run($"$b = Start-WorkflowToolsSandbox -SeedPath '{first}' -FrozenClock").ThrowIfFailed();
                s.Run($"Export-WorkflowToolsSandboxSeed -Path '{second}' -IncludePeople -PmConnection $b.PmConnection").ThrowIfFailed();
            }
            finally
            {
                s.Run("Stop-WorkflowToolsSandbox");
            }

            var text = File.ReadAllText(first);
            foreach (var secret in new[] { "Export-Pa55!", "remember", "password", "token", "Zoë", "zoe", "example.com" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }

            var pm = JsonNode.Parse(text)!["processMaker"]!;
            var user = Assert.Single(pm["users"]!.AsArray())!;
            Assert.Equal(("user3", "INACTIVE"), ((string)user["username"]!, (string)user["status"]!));
            var groups = pm["groups"]!.AsArray();
            Assert.Equal("[3,2]", groups.Single(g => (string)g!["name"]! == "Inner")!["members"]!.ToJsonString());
            Assert.Equal("[2]", groups.Single(g => (string)g!["name"]! == "Outer")!["groups"]!.ToJsonString());

            var real = JsonNode.Parse(File.ReadAllText(personal))!["processMaker"]!["users"]![0]!;
            Assert.Equal(("zoe.export", "Zoë", "zoe@example.com"), ((string)real["username"]!, (string)real["firstname"]!, (string)real["email"]!));
            Assert.DoesNotContain("Export-Pa55!", File.ReadAllText(personal));

            var again = JsonNode.Parse(File.ReadAllText(second))!;
            again.AsObject().Remove("clock");
            var once = JsonNode.Parse(text)!;
            once.AsObject().Remove("clock");
            Assert.Equal(once.ToJsonString(), again.ToJsonString());
        }
    }
}
