using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace WorkflowTools.Http
{
    /// <summary>What one attempt ended in, as the retry rules see it.</summary>
    internal enum AttemptOutcome
    {
        Success,
        /// <summary>The server refused before doing anything (429): safe to resend any request.</summary>
        Throttled,
        /// <summary>502/503/504: the gateway or service was unavailable; applied or not is unknown for a write.</summary>
        Unavailable,
        /// <summary>Connecting failed: the request never left this machine.</summary>
        NotSent,
        /// <summary>The request may have reached the server (reset, timeout after sending).</summary>
        Interrupted,
        /// <summary>Any other answer (4xx, 500): resending will not help.</summary>
        Final,
    }

    /// <summary>
    /// The one place that decides whether an attempt may be repeated. A request that creates or changes
    /// something is resent only when it certainly was not applied.
    /// </summary>
    internal static class RetryRules
    {
        public static AttemptOutcome Classify(int statusCode)
        {
            if (statusCode >= 200 && statusCode < 300)
            {
                return AttemptOutcome.Success;
            }

            switch (statusCode)
            {
                case 429:
                    return AttemptOutcome.Throttled;
                case 502:
                case 503:
                case 504:
                    return AttemptOutcome.Unavailable;
                default:
                    return AttemptOutcome.Final;
            }
        }

        public static AttemptOutcome Classify(Exception exception)
        {
            if (exception is RequestNotSentException)
            {
                // Failed before its body was written (TrackedContent): the server never had the whole request.
                return AttemptOutcome.NotSent;
            }

            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    // Certificate and TLS failures are errors to report, not to retry.
                    return AttemptOutcome.Final;
                }

                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.NetworkDown:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return AttemptOutcome.NotSent;
                    }
                }
            }

            return exception is HttpRequestException || exception is System.IO.IOException || exception is TimeoutException
                ? AttemptOutcome.Interrupted
                : AttemptOutcome.Final;
        }

        /// <summary>True when the attempt failed before anything reached the server: connect refused, host unknown, TLS handshake refused.</summary>
        public static bool CertainlyNotSent(Exception exception) =>
            IsCertificateFailure(exception) || (!(exception is OperationCanceledException) && Classify(exception) == AttemptOutcome.NotSent);

        /// <summary>A TLS handshake failure (the server's certificate refused, no common protocol).</summary>
        public static bool IsCertificateFailure(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        public static bool MayRetry(AttemptOutcome outcome, bool idempotent)
        {
            switch (outcome)
            {
                case AttemptOutcome.Throttled:
                case AttemptOutcome.NotSent:
                    return true;
                case AttemptOutcome.Unavailable:
                case AttemptOutcome.Interrupted:
                    return idempotent;
                default:
                    return false;
            }
        }

        /// <summary>The wait a 429 or 503 answer asks for (its first Retry-After, in either form); null for any other answer or none readable.</summary>
        public static TimeSpan? RetryAfterOf(System.Net.Http.HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            if (status != 429 && status != 503 || !response.Headers.TryGetValues("Retry-After", out var values))
            {
                return null;
            }

            foreach (var value in values)
            {
                return ParseRetryAfter(value, DateTimeOffset.UtcNow);
            }

            return null;
        }

        /// <summary>Reads Retry-After in both of its forms (delta-seconds, HTTP-date); null when absent or unreadable.</summary>
        public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            value = value!.Trim();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                if (double.IsNaN(seconds) || double.IsInfinity(seconds))
                {
                    // 'NaN', 'Infinity': not a wait anyone meant. Treated as absent, like any other garbage.
                    return null;
                }

                return seconds < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, 86400));
            }

            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }
    }
}
