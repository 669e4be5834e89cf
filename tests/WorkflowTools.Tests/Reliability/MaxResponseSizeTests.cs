using System.Management.Automation;

namespace WorkflowTools.Tests.Reliability
{
    /// <summary>-MaxResponseSize on both Connect- cmdlets: validated, shown on the connection, and an error that says what to do.</summary>
    public class MaxResponseSizeTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;

        public MaxResponseSizeTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Session.Set("key", PsSession.Secure(_f.Sandbox.NextMatterApiKey));
            _f.Session.Set("token", PsSession.Secure(_f.Sandbox.ProcessMakerToken));
        }

        [Fact]
        public void The_limit_is_256_MB_by_default_and_takes_PowerShell_sizes()
        {
            var nm = _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -PassThru").ThrowIfFailed().Output.Single();
            Assert.Equal(256L * 1024 * 1024, nm.P<long>("MaxResponseSize"));
            var pm = _f.Session.Run($"Connect-PmServer -BaseUri '{_f.Sandbox.ProcessMakerInstanceUri}' -AccessToken $token -MaxResponseSize 1GB -PassThru").ThrowIfFailed().Output.Single();
            Assert.Equal(1L << 30, pm.P<long>("MaxResponseSize"));
        }

        [Theory]
        [InlineData("1KB")]
        [InlineData("2GB")]
        public void A_limit_out_of_range_fails_before_any_connection(string size)
        {
            var result = _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -MaxResponseSize {size}");
            var error = result.TerminatingError ?? Assert.Single(result.Errors).Exception;
            Assert.IsAssignableFrom<ParameterBindingException>(error);
            Assert.Contains("MaxResponseSize", error.Message);
        }

        [Fact]
        public void A_listing_page_over_the_limit_is_a_ResponseTooLarge_error_that_says_how_to_raise_it()
        {
            // A page larger than 64 KB: 300 instances with long names.
            _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0").ThrowIfFailed();
            _f.Session.Run("1..300 | ForEach-Object { [pscustomobject]@{ ProcessId = 1; Name = \"Big $_ \" + ('x' * 240) } } | New-NmInstance -ThrottleLimit 8 | Out-Null").ThrowIfFailed();
            _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0 -MaxResponseSize 64KB").ThrowIfFailed();
            try
            {
                var result = _f.Session.Run("Get-NmInstance -ProcessId 1 -PageSize 500");
                var error = Assert.Single(result.Errors);
                Assert.StartsWith("WorkflowTools.ResponseTooLarge,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
                Assert.Contains("limit of 64 KB", error.Exception.Message);
                Assert.Contains("-MaxResponseSize", error.ErrorDetails.RecommendedAction);
            }
            finally
            {
                _f.Session.Run($"Connect-NmService -BaseUri '{_f.Sandbox.NextMatterBaseUri}' -ApiKey $key -RequestsPerMinute 0").ThrowIfFailed();
            }
        }
    }
}
