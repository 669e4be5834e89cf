namespace WorkflowTools.Tests.Reliability
{
    /// <summary>
    /// Bad input, row by row: each fails with a stable ErrorId and a message that says what is accepted,
    /// and nothing reaches the server. The table is the documentation of what each input gets.
    /// </summary>
    public class BadInputTests : IClassFixture<SandboxFixture>
    {
        private const string Validation = "ParameterArgumentValidationError";
        private const string Transformation = "ParameterArgumentTransformationError";
        private const string Conversion = "CannotConvertArgumentNoMessage";
        private readonly SandboxFixture _f;

        public BadInputTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Session.Set("k", PsSession.Secure("some.key"));
            _f.Session.Set("empty", new System.Security.SecureString());
        }

        public static TheoryData<string, string, string> Rows => new TheoryData<string, string, string>
        {
            // command                                                                  ErrorId               the message says
            { "New-NmInstance -ProcessId 0",                                            Validation,           "minimum allowed range of 1" },
            { "New-NmInstance -ProcessId -5",                                           Validation,           "minimum allowed range of 1" },
            { "New-NmInstance -ProcessId abc",                                          Conversion,           "Int64" },
            { "New-NmInstance -ProcessId 1 -Name ('x' * 256)",                          Validation,           "255" },
            { "New-NmInstance -ProcessId 1 -Priority Urgent",                           Transformation,       "'Urgent' is not a valid value here; use Regular, High or VeryHigh." },
            { "New-NmInstance -ProcessId 1 -Tag ok, ' '",                               "WorkflowTools.InvalidArgument", "every tag needs text" },
            { "New-NmInstance -ProcessId 1 -Deadline 'not a date'",                     Conversion,           "DateTime" },
            { "New-NmInstance -ProcessId 1 -StepAssignment @{ abc = 1 }",               "WorkflowTools.InvalidArgument", "positive step id to a positive user id" },
            { "New-NmInstance -ProcessId 1 -StepAssignment @{ 42 = -1 }",               "WorkflowTools.InvalidArgument", "positive step id to a positive user id" },
            { "Complete-NmStep -InstanceId 0 -StepId 42 -Value @{ 1 = 'x' }",           Validation,           "minimum allowed range of 1" },
            { "Complete-NmStep -InstanceId 1 -StepId -1 -Value @{ 1 = 'x' }",           Validation,           "minimum allowed range of 1" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ abc = 'x' }",         "WorkflowTools.InvalidFormValue", "keys must be positive numbers" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ 0 = 'x' }",           "WorkflowTools.InvalidFormValue", "keys must be positive numbers" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ -5 = 'x' }",          "WorkflowTools.InvalidFormValue", "keys must be positive numbers" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ 1 = [IO.MemoryStream]::new() }", "WorkflowTools.InvalidFormValue", "cannot be sent as JSON" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Value @{ 1 = [double]::NaN }", "WorkflowTools.InvalidFormValue", "JSON cannot carry" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ action_id = 5 }",    "WorkflowTools.InvalidFormValue", "needs input_object" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ input_object = @{} }", "WorkflowTools.InvalidFormValue", "needs action_id" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ action_id = 'x'; input_object = @{} }", "WorkflowTools.InvalidFormValue", "needs action_id" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ action_id = 5; input_object = 'text' }", "WorkflowTools.InvalidFormValue", "needs input_object, a hashtable" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @{ action_id = 5; input_object = @{}; extra = 1 }", "WorkflowTools.InvalidFormValue", "unknown key(s) extra" },
            { "Complete-NmStep -InstanceId 1 -StepId 42 -Action @()",                   Validation,           "empty" },
            { "Get-NmInstance -ProcessId 1 -MaxTotalRuntime 'abc'",                     Transformation,       "not a duration Next Matter understands" },
            { "Get-NmInstance -ProcessId 1 -MaxTotalRuntime '1 hour'",                  Transformation,       "00:50 is 50 seconds" },
            { "Get-NmInstance -ProcessId 1 -MaxTotalRuntime 'P1Y'",                     Transformation,       "ISO 8601" },
            { "Get-NmInstance -ProcessId 1 -MaxTotalRuntime '-00:50'",                  Transformation,       "never negative" },
            { "Get-NmInstance -ProcessId 1 -MinTotalRuntime ' '",                       Transformation,       "empty duration" },
            { "Get-NmInstance -ProcessId 1 -MaxTotalRuntime 10:",                       Transformation,       "not a duration" },
            { "Get-NmInstance -ProcessId 1 -MinTotalRuntime '02:00:00' -MaxTotalRuntime '01:00:00'", "WorkflowTools.InvalidArgument", "no instance can match" },
            { "Get-NmInstance -ProcessId 1 -Status Paused",                             Transformation,       "'Paused' is not a valid value here; use Running, Completed or Aborted." },
            { "Get-NmInstance -ProcessId 1 -Status Unknown",                            Transformation,       "'Unknown' is not a valid value here; use Running, Completed or Aborted." },
            { "Get-NmInstance -ProcessId 1 -Priority Regular",                          Transformation,       "'Regular' is not a valid value here; use High or VeryHigh." },
            { "Get-NmInstance -ProcessId 1 -PageSize 0",                                Validation,           "minimum allowed range of 1" },
            { "Get-NmInstance -ProcessId 1 -PageSize 501",                              Validation,           "maximum allowed range of 500" },
            { "Get-NmInstance -ProcessId 1 -ActiveStepId 0",                            Validation,           "minimum allowed range of 1" },
            { "Get-NmInstance -ProcessId 1 -Name ''",                                   Validation,           "empty" },
            { "Get-NmInstance -ProcessId 1 -SortBy Colour",                             Transformation,       "or TotalRuntime." },
            { "Get-NmInstance -ProcessId 1 -StartedAfter 'yesterday'",                  Conversion,           "DateTime" },
            { "Get-NmInstance -Id 0",                                                   Validation,           "minimum allowed range of 1" },
            { "Get-NmInstance -Id 5, -3",                                               Validation,           "minimum allowed range of 1" },
            { "Start-PmRequest -ProcessId 0",                                           Validation,           "minimum allowed range of 1" },
            { "Start-PmRequest -ProcessId 1 -StartEvent 'node 1; drop'",                Validation,           "pattern" },
            { "Start-PmRequest -ProcessId 1 -StartEvent ''",                            Validation,           "empty" },
            { "Start-PmRequest -ProcessId 1 -StartEvent node_1 -Data @{ s = [IO.MemoryStream]::new() }", "WorkflowTools.InvalidData", "cannot be sent as JSON" },
            { "Connect-NmService -ApiKey $empty",                                       "WorkflowTools.EmptyCredential", "-ApiKey is empty" },
            { "Connect-NmService -BaseUri 'ftp://example.com/api/' -ApiKey $k",         "WorkflowTools.InvalidBaseUri", "only https://" },
            { "Connect-NmService -BaseUri 'relative/path' -ApiKey $k",                  "WorkflowTools.InvalidBaseUri", "not an absolute URL" },
            { "Connect-NmService -BaseUri 'http://example.com/api/' -ApiKey $k",        "WorkflowTools.InvalidBaseUri", "-AllowInsecureHttp" },
            { "Connect-NmService -BaseUri 'https://user:pw@example.com/api/' -ApiKey $k", "WorkflowTools.InvalidBaseUri", "must not carry a user name" },
            { "Connect-NmService -ApiKey $k -MaxRetries 99",                            Validation,           "maximum allowed range of 20" },
            { "Connect-NmService -ApiKey $k -Timeout 0",                                "WorkflowTools.InvalidArgument", "between 10 ms (0.01) and an hour" },
            // Issue 17 item 11: under 10 ms surfaced Polly's ValidationException.
            { "Connect-NmService -ApiKey $k -Timeout 0.005",                            "WorkflowTools.InvalidArgument", "between 10 ms (0.01) and an hour" },
            { "Connect-NmService -ApiKey $k -Timeout 'soon'",                           Transformation,       "give seconds" },
            { "Connect-NmService -ApiKey $k -RetryDelay 3600",                          "WorkflowTools.InvalidArgument", "between 0 and 5 minutes" },
            { "Connect-NmService -ApiKey $k -RequestsPerMinute -5",                     Validation,           "minimum allowed range of 0" },
            { "Connect-NmService -ApiKey $k -Proxy 'relative'",                         "WorkflowTools.InvalidArgument", "not an absolute URL" },
            // Issue 17 item 10: a password in the proxy URL showed on the connection; ftp:// was accepted.
            { "Connect-NmService -ApiKey $k -Proxy 'http://bob:s3cret@127.0.0.1:3128/'", "WorkflowTools.InvalidProxy", "use -ProxyCredential" },
            { "Connect-NmService -ApiKey $k -Proxy 'ftp://127.0.0.1:21/'",               "WorkflowTools.InvalidProxy", "a proxy is http://" },
            // Issue 17 item 3: a key with CR/LF or non-ASCII never reaches a header.
            { "Connect-NmService -ApiKey (ConvertTo-SecureString \"a.b`r`nX-Evil: 1\" -AsPlainText -Force)", "WorkflowTools.InvalidCredential", "carriage return" },
            { "Connect-NmService -ApiKey (ConvertTo-SecureString 'k\u00e9y' -AsPlainText -Force)", "WorkflowTools.InvalidCredential", "non-ASCII" },
            { "Connect-PmServer -BaseUri 'mailto:x@example.com' -AccessToken $k",       "WorkflowTools.InvalidBaseUri", "only https://" },
            { "Connect-PmServer -BaseUri 'https://pm.example.com' -AccessToken $empty", "WorkflowTools.EmptyCredential", "-AccessToken is empty" },
        };

        [Theory]
        [MemberData(nameof(Rows))]
        public void Is_refused_before_any_request(string command, string errorId, string says)
        {
            var mark = _f.Mark();
            var result = _f.Session.Run(command);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(says, error.Exception.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(result.Output);
            Assert.Empty(_f.RequestsSince(mark));

            // A refused Connect- leaves the session's working connection alone.
            Assert.Equal(_f.Sandbox.NextMatterBaseUri, _f.Session.Run("Get-NmConnection").Single().P<Uri>("BaseUri"));
        }

        [Fact]
        public void The_table_has_at_least_forty_rows()
        {
            Assert.True(Rows.Count() >= 40);
        }
    }
}
