using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Sandbox
{
    /// <summary>
    /// The fault kinds of Add-WorkflowToolsSandboxFault -Kind are the sandbox's: the module cannot reference the
    /// sandbox (netstandard2.0 against net10.0), so its ValidateSet is a copy, and these tests keep the copy exact.
    /// </summary>
    public class FaultKindTests
    {
        [Fact]
        public void The_cmdlet_accepts_exactly_the_kinds_the_sandbox_reads()
        {
            using var s = new PsSession();
            var accepted = s.Run("(Get-Command Add-WorkflowToolsSandboxFault).Parameters['Kind'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues")
                .ThrowIfFailed().Output.Select(o => o.ToString().ToLowerInvariant()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(accepted);
            Assert.Equal(FaultSpec.KindNames.Select(n => n.ToLowerInvariant()).OrderBy(n => n, StringComparer.Ordinal), accepted);
        }

        [Fact]
        public void Every_fault_the_sandbox_can_inject_has_a_kind_name()
        {
            var named = FaultSpec.KindNames.Select(n => Parse(n).Kind).ToHashSet();
            Assert.Equal(Enum.GetValues<FaultKind>().OrderBy(k => k), named.OrderBy(k => k));
        }

        /// <summary>A kind alone, or with the one key it needs: Status and Applied a status, Delay a delay.</summary>
        private static FaultRule Parse(string kind)
        {
            FormatException? last = null;
            foreach (var needs in new[] { "", ",status=503", ",delay=1s" })
            {
                try
                {
                    return FaultSpec.Parse("kind=" + kind + needs);
                }
                catch (FormatException ex)
                {
                    last = ex;
                }
            }

            throw last!;
        }
    }
}
