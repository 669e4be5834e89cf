using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>A sandbox whose Next Matter listings answer slim rows {id, name, status, public_url}.</summary>
    public class SlimRowsFixture : SandboxFixture
    {
        protected override SandboxOptions Options => new SandboxOptions { SlimListRows = true };
    }

    /// <summary>
    /// Listing rows may be slim (Next Matter's public example shows only id, name, status and public_url): the
    /// same tests run against full rows and against slim rows.
    /// </summary>
    public abstract class NmListingRowTests<TFixture> : IClassFixture<TFixture>
        where TFixture : SandboxFixture
    {
        private readonly TFixture _f;

        protected NmListingRowTests(TFixture fixture)
        {
            _f = fixture;
        }

        protected abstract bool Slim { get; }

        private PsSession S => _f.Session;

        [Fact]
        public void Rows_carry_what_the_request_knows_and_null_for_what_the_answer_leaves_out()
        {
            var rows = S.Run("Get-NmInstance -ProcessId 1 -Status Running").ThrowIfFailed().Output;
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(1L, r.P<long>("ProcessId")));
            Assert.All(rows, r => Assert.Equal("Running", r.P("Status")!.ToString()));
            var grace = rows.Single(r => r.P<string>("Name") == "Onboarding Grace Hopper");
            if (Slim)
            {
                // Unknown, so $null: never 0, Regular or an empty list that would read as "none".
                Assert.Null(grace.P("StartedTime"));
                Assert.Null(grace.P("TotalRuntime"));
                Assert.Null(grace.P("Priority"));
                Assert.Null(grace.P("Tags"));
                Assert.Null(grace.P("ActiveStepIds"));
            }
            else
            {
                Assert.NotNull(grace.P("StartedTime"));
                Assert.Equal("Regular", grace.P("Priority")!.ToString());
                Assert.Equal("engineering;remote", grace.P("Tags")!.ToString());
                Assert.Equal("42", grace.P("ActiveStepIds")!.ToString());
            }
        }

        [Fact]
        public void A_listed_row_piped_into_Complete_NmStep_finds_its_active_step()
        {
            var name = "Slim pipe " + Slim;
            S.Run($"New-NmInstance -ProcessId 1 -Name '{name}'").ThrowIfFailed();
            var mark = _f.Mark();
            var completion = S.Run($"Get-NmInstance -ProcessId 1 -Name '{name}' | Complete-NmStep -Value @{{ 123456 = 'Piped' }}").Single();
            Assert.Equal(42L, completion.P<long>("StepId"));
            Assert.Equal("43", completion.P("ActiveStepIds")!.ToString());
            var sent = _f.RequestsSince(mark);
            Assert.Single(sent, r => r.Method == "POST");
            // Without -StepId the instance is read once, full row or slim: a row's ActiveStepIds may be out of date.
            Assert.Single(sent, r => r.Method == "GET" && r.Path.Contains("/instances/", StringComparison.Ordinal) && !r.Path.Contains("/processes/", StringComparison.Ordinal));
        }

        [Fact]
        public void Values_and_runtime_filters_work_either_way()
        {
            var withValues = S.Run("Get-NmInstance -ProcessId 1 -Status Completed -MaxTotalRuntime '00:50' -IncludeValues").ThrowIfFailed().Output;
            Assert.Equal(new[] { "Onboarding Alan Turing", "Onboarding Donald Knuth", "Onboarding Edsger Dijkstra" }, withValues.Select(r => r.P<string>("Name")).OrderBy(n => n));
            Assert.All(withValues, r => Assert.NotNull(r.P("Values")));
            Assert.All(withValues, r => Assert.NotNull(r.P("StartedTime"))); // the detail was read for the values
        }
    }

    public class NmListingFullRowTests : NmListingRowTests<SandboxFixture>
    {
        public NmListingFullRowTests(SandboxFixture fixture)
            : base(fixture)
        {
        }

        protected override bool Slim => false;
    }

    public class NmListingSlimRowTests : NmListingRowTests<SlimRowsFixture>
    {
        public NmListingSlimRowTests(SlimRowsFixture fixture)
            : base(fixture)
        {
        }

        protected override bool Slim => true;
    }
}
