using System.Net.Http;
using System.Net.Sockets;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    public class RetryRulesTests
    {
        [Theory]
        [InlineData(429, true, true)]
        [InlineData(429, false, true)]
        [InlineData(503, true, true)]
        [InlineData(503, false, false)]
        [InlineData(502, false, false)]
        [InlineData(504, true, true)]
        [InlineData(500, true, false)]
        [InlineData(500, false, false)]
        [InlineData(400, true, false)]
        [InlineData(404, true, false)]
        [InlineData(401, true, false)]
        public void Retries_a_status_only_where_resending_is_safe(int status, bool idempotent, bool expected)
        {
            Assert.Equal(expected, RetryRules.MayRetry(RetryRules.Classify(status), idempotent));
        }

        [Fact]
        public void A_refused_connection_was_never_sent_and_may_be_retried_even_for_a_create()
        {
            var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
            Assert.Equal(AttemptOutcome.NotSent, RetryRules.Classify(refused));
            Assert.True(RetryRules.MayRetry(AttemptOutcome.NotSent, idempotent: false));
        }

        [Fact]
        public void A_reset_connection_may_have_been_applied_so_a_create_is_not_resent()
        {
            var reset = new HttpRequestException("reset", new System.IO.IOException("reset", new SocketException((int)SocketError.ConnectionReset)));
            Assert.Equal(AttemptOutcome.Interrupted, RetryRules.Classify(reset));
            Assert.False(RetryRules.MayRetry(AttemptOutcome.Interrupted, idempotent: false));
            Assert.True(RetryRules.MayRetry(AttemptOutcome.Interrupted, idempotent: true));
        }

        [Fact]
        public void A_certificate_failure_is_final()
        {
            var tls = new HttpRequestException("ssl", new System.Security.Authentication.AuthenticationException("bad cert"));
            Assert.Equal(AttemptOutcome.Final, RetryRules.Classify(tls));
        }

        [Fact]
        public void Retry_after_is_read_in_both_forms()
        {
            var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromSeconds(7), RetryRules.ParseRetryAfter("7", now));
            Assert.Equal(TimeSpan.FromSeconds(30), RetryRules.ParseRetryAfter("Mon, 05 Jan 2026 09:00:30 GMT", now));
            Assert.Equal(TimeSpan.Zero, RetryRules.ParseRetryAfter("Mon, 05 Jan 2026 08:59:00 GMT", now));
            Assert.Null(RetryRules.ParseRetryAfter(null, now));
            Assert.Null(RetryRules.ParseRetryAfter("soon", now));
        }
    }
}
