using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>Sends any request to the Next Matter API with the connection's key, retries and error handling.</summary>
    /// <remarks>
    /// The escape hatch for what the other cmdlets do not cover. -Path is relative to the connection's base URL
    /// (for example 'processes/1/instances/'); an absolute URL is accepted only under that base URL, so the key is
    /// never sent anywhere else. -Query adds query parameters (arrays are joined with commas, dates are sent in
    /// UTC ISO 8601, durations in Next Matter's form). -Body is sent as JSON: a hashtable or object is serialised,
    /// a string is sent as it is after a check that it is JSON.
    ///
    /// The answer is written as PowerShell objects: a JSON object becomes one object with a property per field,
    /// a JSON array writes its items; nested objects are hashtables and nested lists read a;b as text. -All follows
    /// the `next` links of a paged answer and writes the rows of every page as they arrive; -First, -Skip and
    /// -IncludeTotalCount (Next Matter's count) work on the whole listing, and -First stops the page requests once
    /// it is met. Without -All they work on what one answer writes: the items of a JSON array, or the one object.
    /// Invoke-PmApi pages the same way. GET, PUT and DELETE
    /// are retried after transient failures; POST and PATCH are never sent twice. Every method but GET asks
    /// ShouldProcess, so -WhatIf sends nothing.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "NmApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, SupportsPaging = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeNmApiCommand : NmCmdlet
    {
        /// <summary>The HTTP method: GET (default), POST, PUT, PATCH or DELETE.</summary>
        [Parameter(Position = 1)]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        /// <summary>The path relative to the connection's base URL, such as 'instances/1001/' (Next Matter paths end with a slash).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Uri")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NmApiPathCompleter))]
        public string Path { get; set; } = string.Empty;

        /// <summary>Query parameters: name = value; arrays are joined with commas, dates are sent in UTC.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Query { get; set; }

        /// <summary>The request body: a hashtable, array or object (sent as JSON), or a JSON string sent as it is.</summary>
        [Parameter]
        public object? Body { get; set; }

        /// <summary>Follow the next links of a paged answer and write the rows of every page (GET only).</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        protected override void BeginProcessing()
        {
            Method = Method.ToUpperInvariant();
            if (All && Method != "GET")
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-All follows the pages of a listing and works only with -Method GET.", Method));
            }

            if (Body != null && Method == "GET")
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("A GET request has no body; use -Query for parameters.", Body));
            }

            base.BeginProcessing();
        }

        protected override void ProcessRecord()
        {
            Uri uri;
            byte[]? body;
            try
            {
                uri = Api.ResolveRaw(Path, BuildQuery(Query));
                body = BuildBody(Body);
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorRecords.InvalidArgument(ex.Message, Path));
                return;
            }

            if (Method != "GET" && !ShouldProcess(uri.PathAndQuery, $"{Method}{(body == null ? string.Empty : $" with a {body.Length}-byte JSON body")}"))
            {
                return;
            }

            try
            {
                if (All)
                {
                    WriteListing($"GET {uri.AbsolutePath}", Path, () => Api.StreamRawAsync(uri), output: JsonOutput.ToPowerShell);
                    return;
                }

                var method = Method;
                var answer = Run(ct => Api.SendRawAsync(method, uri, body, ct));
                if (answer.Json is object?[] items)
                {
                    WriteAnswerItems(Array.ConvertAll(items, JsonOutput.ToPowerShell));
                }
                else if (answer.HasBody)
                {
                    WriteAnswerItems(new[] { JsonOutput.ToPowerShell(answer.Json) });
                }
            }
            catch (ApiException ex)
            {
                WriteFailure(ex, Path);
            }
        }

        private static QueryString? BuildQuery(IDictionary? query)
        {
            if (query == null)
            {
                return null;
            }

            var result = new QueryString();
            foreach (DictionaryEntry entry in query)
            {
                var name = Convert.ToString(PsValues.ToPlain(entry.Key), CultureInfo.InvariantCulture);
                if (string.IsNullOrEmpty(name))
                {
                    throw new ArgumentException("-Query has an empty parameter name.");
                }

                var value = PsValues.ToPlain(entry.Value);
                result.Add(name!, value is IEnumerable list && !(value is string) && !(value is IDictionary)
                    ? string.Join(",", Enumerate(list))
                    : QueryValue(value));
            }

            return result;
        }

        private static System.Collections.Generic.IEnumerable<string> Enumerate(IEnumerable list)
        {
            foreach (var item in list)
            {
                yield return QueryValue(item) ?? string.Empty;
            }
        }

        private static string? QueryValue(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case bool b:
                    return b ? "true" : "false";
                case DateTime dt:
                    return JsonBody.FormatDate(dt);
                case DateTimeOffset dto:
                    return JsonBody.FormatDate(dto);
                case TimeSpan span:
                    return NmDuration.Format(span);
                case IDictionary _:
                    throw new ArgumentException("A -Query value is a hashtable; query values are text, numbers, dates or lists of them.");
                case IFormattable formattable:
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return value.ToString();
            }
        }

        private static byte[]? BuildBody(object? body)
        {
            var value = body is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : body;
            if (value == null)
            {
                return null;
            }

            if (value is string text)
            {
                if (JsonTree.SyntaxProblem(text) is string syntax)
                {
                    throw new ArgumentException($"-Body is a string but not JSON ({syntax}); pass a hashtable to have it serialised.");
                }

                return Encoding.UTF8.GetBytes(text);
            }

            var plain = PsValues.ToPlain(body);
            if (!JsonBody.TryValidate(plain, out var problem))
            {
                throw new ArgumentException("-Body cannot be sent as JSON: " + problem);
            }

            return JsonBody.Serialize(plain);
        }
    }
}
