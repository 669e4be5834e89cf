using WorkflowTools.Connections;

namespace WorkflowTools.UnitTests
{
    public class BaseUriRulesTests
    {
        [Theory]
        [InlineData("https://core.nextmatter.com/api", "https://core.nextmatter.com/api/")]
        [InlineData("https://core.nextmatter.com/api/", "https://core.nextmatter.com/api/")]
        [InlineData("http://127.0.0.1:5080/nextmatter/api/", "http://127.0.0.1:5080/nextmatter/api/")]
        [InlineData("http://localhost:5080/x", "http://localhost:5080/x/")]
        public void Normalizes(string input, string expected)
        {
            Assert.Equal(expected, BaseUriRules.Normalize(new Uri(input), false).AbsoluteUri);
        }

        [Theory]
        [InlineData("https://pm.example.com", "https://pm.example.com/api/1.0/")]
        [InlineData("https://pm.example.com/api/1.0", "https://pm.example.com/api/1.0/")]
        [InlineData("https://pm.example.com/api/", "https://pm.example.com/api/1.0/")]
        [InlineData("https://pm.example.com/sub/", "https://pm.example.com/sub/api/1.0/")]
        public void Accepts_processmaker_urls_with_or_without_the_api_path(string input, string expected)
        {
            Assert.Equal(expected, BaseUriRules.NormalizeProcessMaker(new Uri(input), false).AbsoluteUri);
        }

        [Theory]
        [InlineData("http://core.nextmatter.com/api/")]
        [InlineData("ftp://core.nextmatter.com/api/")]
        [InlineData("https://user:pw@core.nextmatter.com/api/")]
        public void Refuses_unsafe_urls(string input)
        {
            Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize(new Uri(input), false));
        }

        [Fact]
        public void Plain_http_to_another_host_needs_the_opt_in()
        {
            Assert.Equal("http://intranet.example/api/", BaseUriRules.Normalize(new Uri("http://intranet.example/api"), true).AbsoluteUri);
        }
    }
}
