using System.IO;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Completion;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.NextMatter;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Model parsers map JSON to objects and touch nothing global: what the tab completers learn from an answer
    /// (the workflows met, for -ProcessId) is recorded by the client that got the answer, never by a FromJson.
    /// </summary>
    public class ModelParserPurityTests
    {
        private static readonly string Root = FindRoot();

        /// <summary>A declaration of a model parser: <c>static … FromJson(</c>.</summary>
        private static readonly Regex ParserDeclaration = new Regex(@"\bstatic\s+[\w<>\[\]?,.\s]+?\s+FromJson\s*\(", RegexOptions.Compiled);

        [Fact]
        public void No_model_parser_file_references_the_completion_cache()
        {
            var core = Path.Combine(Root, "src", "WorkflowTools.Core");
            var parserFiles = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Where(f => ParserDeclaration.IsMatch(File.ReadAllText(f)) || Path.GetFileName(f).EndsWith("Models.cs", StringComparison.Ordinal))
                .ToList();

            // The scan must see the parsers it guards, or it would pass by finding nothing.
            var names = parserFiles.Select(Path.GetFileName).ToList();
            Assert.Contains("NmModels.cs", names);
            Assert.Contains("NmProcessModels.cs", names);
            Assert.Contains("PmModels.cs", names);
            Assert.True(parserFiles.Count >= 5, $"only {parserFiles.Count} model parser files found: {string.Join(", ", names)}");

            // Every type of the completion namespace, named by reflection so a new cache is covered too.
            var completionTypes = typeof(SeenWorkflows).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(SeenWorkflows).Namespace && !t.IsNested && !t.Name.StartsWith("<", StringComparison.Ordinal))
                .Select(t => t.Name.Split('`')[0])
                .Distinct()
                .ToList();
            Assert.Contains("SeenWorkflows", completionTypes);
            Assert.Contains("ConnectionCaches", completionTypes);

            var forbidden = new Regex(@"\bCompletion\s*\.|\b(" + string.Join("|", completionTypes.Select(Regex.Escape)) + @")\b");
            var problems = new List<string>();
            foreach (var file in parserFiles)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = StripComment(lines[i]);
                    if (forbidden.Match(code) is Match m && m.Success)
                    {
                        problems.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: '{m.Value}' — record what the completers learn in the client, not in the parser.");
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Parsing_an_instance_or_a_workflow_remembers_nothing()
        {
            var baseUri = new Uri("https://parser-purity.example.test/api/");
            using var instance = JsonDocument.Parse("{\"id\": 5, \"process\": \"https://parser-purity.example.test/api/processes/31/\", \"status\": \"running\"}");
            using var process = JsonDocument.Parse("{\"id\": 32, \"name\": \"W\", \"url\": \"https://parser-purity.example.test/api/processes/32/\"}");

            Assert.Equal(31, NmInstance.FromJson(instance.RootElement, DateTime.UtcNow).ProcessId);
            Assert.Equal(32, NmProcess.FromJson(process.RootElement).Id);

            Assert.Empty(SeenWorkflows.For(baseUri));
        }

        [Fact]
        public async Task The_client_records_the_workflows_its_answers_name()
        {
            // A base URL no other test uses, so the process-wide list starts empty for it.
            var baseUri = new Uri("http://127.0.0.1/client-records-workflows/api/");
            var page = "{\"count\": 2, \"next\": null, \"results\": ["
                + "{\"id\": 1, \"process\": \"http://127.0.0.1/client-records-workflows/api/processes/41/\"},"
                + "{\"id\": 2, \"process\": \"http://127.0.0.1/client-records-workflows/api/processes/42/\"}]}";
            var client = new NmClient(new ApiClient(
                new ConnectionSettings { ServiceName = "Next Matter", BaseUri = baseUri, MaxRetries = 0, RequestsPerMinute = 0 },
                new SecretAuthorization("Api-Key", SecretAuthorization.FromPlainText("k.k")),
                new CannedHandler(page)));
            Assert.Empty(SeenWorkflows.For(baseUri));

            var rows = new List<NmInstance>();
            await foreach (var row in client.ListInstancesAsync(41, new NmInstanceQuery()))
            {
                rows.Add(row);
            }

            Assert.Equal(2, rows.Count);
            Assert.Equal(new long[] { 42, 41 }, SeenWorkflows.For(baseUri));
        }

        /// <summary>The line without its comment (a "//" after a colon is a URL in a string, not a comment).</summary>
        private static string StripComment(string line) => Regex.Replace(line, "(?<!:)//.*$", string.Empty);

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "WorkflowTools.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("WorkflowTools.sln not found above the test assembly.");
        }

        private sealed class CannedHandler : HttpMessageHandler
        {
            private readonly string _body;

            public CannedHandler(string body)
            {
                _body = body;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body, System.Text.Encoding.UTF8, "application/json") });
        }
    }
}
