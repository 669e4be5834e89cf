using System.Text;
using WorkflowTools.Http;

namespace WorkflowTools.UnitTests
{
    public class ApiErrorParserTests
    {
        private static ApiException Parse(int status, string body, string? contentType = "application/json") =>
            ApiErrorParser.FromResponse("Next Matter", "POST", "/api/instances/", status, null, Encoding.UTF8.GetBytes(body), contentType);

        [Fact]
        public void Reads_a_drf_detail()
        {
            var e = Parse(404, "{\"detail\":\"Not found.\"}");
            Assert.Equal(ApiErrorKind.NotFound, e.Kind);
            Assert.Equal("Not found.", e.Detail);
            Assert.Contains("404", e.Message);
            Assert.Contains("Not found.", e.Message);
        }

        [Fact]
        public void Reads_drf_field_errors()
        {
            var e = Parse(400, "{\"priority\":[\"\\\"X\\\" is not a valid choice.\"],\"name\":[\"Too long.\",\"Bad.\"]}");
            Assert.Equal(ApiErrorKind.Validation, e.Kind);
            Assert.Equal(new[] { "Too long.", "Bad." }, e.FieldErrors["name"]);
            Assert.Contains("priority", e.Message);
        }

        [Fact]
        public void Reads_laravel_validation_and_error_bodies()
        {
            var e = Parse(422, "{\"message\":\"The name field is required. (and 1 more error)\",\"errors\":{\"name\":[\"The name field is required.\"],\"data\":[\"Bad.\"]}}");
            Assert.Equal(ApiErrorKind.Validation, e.Kind);
            Assert.Equal(2, e.FieldErrors.Count);
            Assert.Contains("name: The name field is required.", e.Message);

            var unauth = Parse(401, "{\"error\":\"Unauthenticated.\"}");
            Assert.Equal(ApiErrorKind.Unauthorized, unauth.Kind);
            Assert.Equal("Unauthenticated.", unauth.Detail);
        }

        [Fact]
        public void An_html_page_becomes_a_short_plain_excerpt()
        {
            var e = Parse(502, "<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>", "text/html");
            Assert.Equal(ApiErrorKind.ServerError, e.Kind);
            Assert.Equal("502 Bad Gateway nginx", e.BodyExcerpt);
            Assert.DoesNotContain("<", e.Message);
        }

        [Fact]
        public void Truncated_json_and_empty_bodies_do_not_throw()
        {
            var e = Parse(500, "{\"detail\":\"Serv");
            Assert.Equal(ApiErrorKind.ServerError, e.Kind);
            Assert.Contains("{\"detail\":\"Serv", e.Message);
            var empty = Parse(403, "");
            Assert.Equal(ApiErrorKind.Forbidden, empty.Kind);
            Assert.Equal(string.Empty, empty.BodyExcerpt);
        }

        [Fact]
        public void A_long_body_is_cut()
        {
            var e = Parse(500, new string('x', 5000), "text/plain");
            Assert.True(e.BodyExcerpt!.Length <= 301);
        }
    }
}
