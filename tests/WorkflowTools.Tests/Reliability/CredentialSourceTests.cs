using WorkflowTools.Sandbox;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>Credentials for unattended runs: a SecretManagement vault, and what Debug says about the source.</summary>
    public class CredentialSourceTests : IAsyncLifetime
    {
        private SandboxServer _sandbox = null!;

        public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync() => await _sandbox.DisposeAsync();

        /// <summary>A stand-in for Microsoft.PowerShell.SecretManagement with one vault holding one secret.</summary>
        private PsSession SessionWithVault()
        {
            var s = new PsSession();
            s.Run($@"New-Module -Name Microsoft.PowerShell.SecretManagement -ScriptBlock {{
                        function Get-Secret {{
                            param([string] $Name, [string] $Vault)
                            if ($Vault -ne 'NightlyVault') {{ throw ""Vault '$Vault' does not exist."" }}
                            switch ($Name) {{
                                'NextMatterApiKey'   {{ ConvertTo-SecureString '{_sandbox.NextMatterApiKey}' -AsPlainText -Force }}
                                'ProcessMakerToken'  {{ '{_sandbox.ProcessMakerToken}' }}
                                'AsCredential'       {{ [pscredential]::new('bot', (ConvertTo-SecureString '{_sandbox.NextMatterApiKey}' -AsPlainText -Force)) }}
                                'Blob'               {{ ,[byte[]](1, 2, 3) }}
                                default              {{ throw ""Secret '$Name' was not found."" }}
                            }}
                        }}
                        Export-ModuleMember -Function Get-Secret
                     }} | Import-Module").ThrowIfFailed();
            return s;
        }

        [Fact]
        public void Both_connections_read_their_secret_from_a_vault_and_debug_says_so_without_the_secret()
        {
            using var s = SessionWithVault();
            var result = s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -Vault NightlyVault -Debug; Connect-PmServer -BaseUri '{_sandbox.ProcessMakerInstanceUri}' -Vault NightlyVault -Debug");
            result.ThrowIfFailed();
            Assert.Contains(result.Debug, d => d == "Credential source: secret 'NextMatterApiKey' in SecretManagement vault 'NightlyVault'.");
            Assert.Contains(result.Debug, d => d == "Credential source: secret 'ProcessMakerToken' in SecretManagement vault 'NightlyVault'.");
            Assert.DoesNotContain(_sandbox.NextMatterApiKey, result.AllText());
            Assert.DoesNotContain(_sandbox.ProcessMakerToken, result.AllText());
            Assert.Equal("vault NightlyVault (secret NextMatterApiKey)", s.Run("Get-NmConnection").Single().P<string>("CredentialSource"));
            Assert.True(s.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id") > 0);
            Assert.True(s.Run("Start-PmRequest -ProcessId 1").Single().P<long>("Id") > 0);
        }

        [Fact]
        public void A_credential_secret_and_a_custom_name_work()
        {
            using var s = SessionWithVault();
            s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -Vault NightlyVault -SecretName AsCredential").ThrowIfFailed();
            Assert.True(s.Run("New-NmInstance -ProcessId 1").Single().P<long>("Id") > 0);
        }

        [Theory]
        [InlineData("-Vault Elsewhere", "WorkflowTools.SecretNotFound")]
        [InlineData("-Vault NightlyVault -SecretName Missing", "WorkflowTools.SecretNotFound")]
        [InlineData("-Vault NightlyVault -SecretName Blob", "WorkflowTools.SecretNotUsable")]
        public void Vault_problems_are_clear_errors(string arguments, string errorId)
        {
            using var s = SessionWithVault();
            var error = Assert.Single(s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' {arguments}").AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Empty(s.Run("Get-NmConnection").Output);
        }

        [Fact]
        public void Without_secret_management_vault_says_what_to_install()
        {
            using var s = new PsSession();
            var error = Assert.Single(s.Run($"Connect-NmService -BaseUri '{_sandbox.NextMatterBaseUri}' -Vault NightlyVault").AllErrors);
            Assert.StartsWith("WorkflowTools.SecretManagementMissing,", error.FullyQualifiedErrorId);
            Assert.Contains("Install-Module Microsoft.PowerShell.SecretManagement", error.Exception.Message);
        }

        [Fact]
        public void Without_any_credential_the_error_lists_every_source()
        {
            using var s = new PsSession();
            var error = Assert.Single(s.Run("Remove-Item Env:NEXTMATTER_API_KEY -ErrorAction SilentlyContinue; Connect-NmService").AllErrors);
            Assert.StartsWith("WorkflowTools.NoCredential,", error.FullyQualifiedErrorId);
            Assert.Contains("-ApiKey", error.Exception.Message);
            Assert.Contains("-Vault", error.Exception.Message);
            Assert.Contains("NEXTMATTER_API_KEY", error.Exception.Message);
        }
    }
}
