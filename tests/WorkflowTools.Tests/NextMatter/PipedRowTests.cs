using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>
    /// -InputObject with [PipedRow] (Cmdlets/Common/PipedRow.cs) sees the piped object itself and adds nothing to
    /// binding: numbers and numeric text still bind -Id, an object that binds to nothing is still PowerShell's
    /// InputObjectNotBound, and what a row says beyond its Id (a CSV row's Status) is still read from it.
    /// </summary>
    public class PipedRowTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public PipedRowTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void Numbers_and_numeric_text_still_bind_Id_and_an_object_without_an_id_still_binds_to_nothing()
        {
            var ids = S.Run("1..2 | ForEach-Object { New-NmInstance -ProcessId 1 -Name \"Piped row $_\" }").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToArray();

            var read = S.Run($"{ids[0]}, '{ids[1]}' | Get-NmInstance").ThrowIfFailed().Output.Select(o => o.P<long>("Id")).ToArray();
            Assert.Equal(ids, read);

            var mark = _f.Mark();
            var junk = S.Run("[pscustomobject]@{ Colour = 'blue' }, (Get-Date) | Stop-NmInstance -Confirm:$false");
            Assert.Equal(2, junk.Errors.Count);
            Assert.All(junk.Errors, e => Assert.StartsWith("InputObjectNotBound,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
            Assert.Empty(_f.RequestsSince(mark));
        }

        [Fact]
        public void A_CSV_row_of_a_completed_instance_is_left_out_by_its_Status_without_reading_it()
        {
            var id = S.Run("New-NmInstance -ProcessId 1 -Name 'Piped CSV row'").ThrowIfFailed().Single().P<long>("Id");
            var mark = _f.Mark();

            var result = S.Run($"[pscustomobject]@{{ Id = '{id}'; Status = 'Completed' }} | Stop-NmInstance -PassThru -Confirm:$false").ThrowIfFailed();

            Assert.Empty(result.Output);
            Assert.Equal($"The instance {id} is already Completed; it was not aborted.", Assert.Single(result.Warnings));
            Assert.Empty(_f.RequestsSince(mark));
        }
    }
}
