using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests.NextMatter
{
    /// <summary>
    /// Next Matter files "token lacks necessary permissions" under 401: a bulk batch refused with 401 is split like a
    /// 403 one, and only a key refused for a plain read too counts as a wrong key.
    /// </summary>
    public class NmBulkUnauthorizedTests
    {
        private static NmClient Client(HttpMessageHandler handler) =>
            new NmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "Next Matter", BaseUri = new Uri("http://127.0.0.1:9/api/"), MaxRetries = 0, RequestsPerMinute = 0 },
                new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("abc.def")),
                handler));

        [Fact]
        public async Task A_401_for_one_id_is_that_ids_refusal_and_the_others_go_through()
        {
            var handler = new Handler(keyWorks: true, refusedId: 7);
            var outcomes = await Client(handler).BulkAsync(NmBulkOperation.Abort, new long[] { 5, 6, 7, 8 }, CancellationToken.None);

            Assert.Equal(new long[] { 5, 6, 7, 8 }, outcomes.Select(o => o.Id));
            Assert.All(outcomes.Where(o => o.Id != 7), o => Assert.Null(o.Error));
            var refused = outcomes.Single(o => o.Id == 7).Error!;
            Assert.Equal(ApiErrorKind.Forbidden, refused.Kind);
            Assert.Equal(401, refused.StatusCode);
            Assert.Contains("works for other calls", refused.Message);
            Assert.Equal(new[] { "[5,6,7,8]", "[5,6]", "[7,8]", "[7]", "[8]" }, handler.Posts);
        }

        [Fact]
        public async Task A_key_refused_everywhere_is_reported_as_the_key_after_a_few_requests()
        {
            var handler = new Handler(keyWorks: false, refusedId: 0);
            var ids = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();
            var outcomes = await Client(handler).BulkAsync(NmBulkOperation.Abort, ids, CancellationToken.None);

            Assert.Equal(100, outcomes.Count);
            Assert.All(outcomes, o => Assert.Equal(ApiErrorKind.Unauthorized, o.Error!.Kind));
            // The batch, then one read to check the key: not a request per id, and no splitting.
            Assert.Equal(2, handler.Requests);
            Assert.Equal(1, handler.Gets);
        }

        private sealed class Handler : HttpMessageHandler
        {
            private readonly bool _keyWorks;
            private readonly long _refusedId;

            public Handler(bool keyWorks, long refusedId)
            {
                _keyWorks = keyWorks;
                _refusedId = refusedId;
            }

            public List<string> Posts { get; } = new List<string>();

            public int Requests { get; private set; }

            public int Gets { get; private set; }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Requests++;
                if (request.Method == HttpMethod.Get)
                {
                    Gets++;
                    return _keyWorks
                        ? Json(HttpStatusCode.OK, "{\"id\":7,\"name\":\"x\",\"process\":\"http://127.0.0.1:9/api/processes/1/\",\"active_step_ids\":[]}")
                        : Json(HttpStatusCode.Unauthorized, "{\"detail\":\"Invalid API key.\"}");
                }

                var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                var ids = body.Substring(body.IndexOf('['));
                ids = ids.Substring(0, ids.IndexOf(']') + 1);
                Posts.Add(ids);
                if (!_keyWorks)
                {
                    return Json(HttpStatusCode.Unauthorized, "{\"detail\":\"Invalid API key.\"}");
                }

                return ids.Contains(_refusedId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    ? Json(HttpStatusCode.Unauthorized, "{\"detail\":\"Your token lacks the necessary permissions.\"}")
                    : Json(HttpStatusCode.Created, "{\"ids\":" + ids + "}");
            }

            private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
                new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}

namespace WorkflowTools.UnitTests.NextMatter
{
    /// <summary>"Step not active" comes from the instance's active_step_ids after a refusal, never from the message text.</summary>
    public class NmStepNotActiveTests
    {
        [Theory]
        [InlineData("{\"detail\":\"Something we have never seen.\"}", "[43]", true)]
        [InlineData("{\"detail\":\"Step 42 is not active.\"}", "[42]", false)]
        [InlineData("{\"actions\":[\"Action 1 is required.\"]}", "[42]", false)]
        [InlineData("{\"non_field_errors\":[\"Nope.\"]}", "[]", true)]
        public async Task The_instance_state_decides(string refusal, string activeSteps, bool notActive)
        {
            var handler = new StepHandler(refusal, activeSteps);
            var client = new NmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "Next Matter", BaseUri = new Uri("http://127.0.0.1:9/api/"), MaxRetries = 0 },
                new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("abc.def")),
                handler));

            var error = await Assert.ThrowsAsync<ApiException>(() => client.CompleteStepAsync(5, 42, new[] { new NmAction(1, new Dictionary<string, object?> { ["inputValue"] = "x" }) }, CancellationToken.None));
            Assert.Equal(notActive, NmClient.IsStepNotActive(error));
            Assert.Equal(ApiErrorKind.Validation, error.Kind);
            Assert.Equal(new[] { "POST", "GET" }, handler.Methods);
            if (notActive)
            {
                Assert.StartsWith("instance 5 is ", NmClient.StepState(error));
            }
        }

        private sealed class StepHandler : HttpMessageHandler
        {
            private readonly string _refusal;
            private readonly string _active;

            public StepHandler(string refusal, string active)
            {
                _refusal = refusal;
                _active = active;
            }

            public List<string> Methods { get; } = new List<string>();

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Methods.Add(request.Method.Method);
                var (status, json) = request.Method == HttpMethod.Post
                    ? (HttpStatusCode.BadRequest, _refusal)
                    : (HttpStatusCode.OK, "{\"id\":5,\"name\":\"x\",\"started_time\":\"2026-01-01T00:00:00Z\",\"active_step_ids\":" + _active + "}");
                return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
            }
        }
    }
}
