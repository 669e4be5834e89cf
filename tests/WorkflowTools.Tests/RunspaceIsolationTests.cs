namespace WorkflowTools.Tests
{
    /// <summary>
    /// Issue 17 item 6: ForEach-Object -Parallel reuses runspaces (ResetRunspaceState between iterations).
    /// An iteration that never connected must not find an earlier iteration's connection, with pooled
    /// runspaces and with -UseNewRunspace; the outer session keeps its own.
    /// </summary>
    public class RunspaceIsolationTests
    {
        [Theory]
        [InlineData("")]
        [InlineData("-UseNewRunspace")]
        public void A_parallel_iteration_never_sees_another_iterations_connection(string newRunspace)
        {
            using var session = new PsSession();
            var result = session.Run(
                "$manifest = '" + RepoPaths.BuiltManifest.Replace("'", "''") + "'\n" +
                "Connect-NmService -BaseUri 'http://127.0.0.1:9/outer/' -ApiKey (ConvertTo-SecureString 'outer.key' -AsPlainText -Force)\n" +
                "1..4 | ForEach-Object -ThrottleLimit 1 " + newRunspace + " -Parallel {\n" +
                "  Import-Module $using:manifest\n" +
                "  if ($_ -eq 1) { Connect-NmService -BaseUri 'http://127.0.0.1:9/tenant-a/' -ApiKey (ConvertTo-SecureString 'a.key' -AsPlainText -Force) }\n" +
                "  $c = Get-NmConnection\n" +
                "  \"$_=$(if ($c) { $c.BaseUri.AbsolutePath } else { 'none' })\"\n" +
                "}\n" +
                "\"outer=$((Get-NmConnection).BaseUri.AbsolutePath)\"");
            result.ThrowIfFailed();
            Assert.Equal(new[] { "1=/tenant-a/", "2=none", "3=none", "4=none", "outer=/outer/" }, result.Output.Select(o => o.ToString()).ToArray());
        }
    }
}
