using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>Calls any ProcessMaker 4 API endpoint with the session's connection.</summary>
    /// <remarks>
    /// Invoke-PmApi is the escape hatch for what no other cmdlet covers: it sends -Method to -Path (relative to
    /// the instance's /api/1.0/, e.g. 'users/1' or 'requests/5/files') with -Query parameters and a -Body (a
    /// hashtable or object, sent as JSON; a string is sent as JSON text after a syntax check). It uses the
    /// connection's token (renewed when it expires), retries GET requests on throttling and failures like every
    /// other cmdlet, and turns error answers into error records (validation errors name each field). JSON answers
    /// come back as objects; an answer without a body writes nothing. With -All a GET of a collection follows the
    /// Laravel pages and writes each item of every page's data as it arrives; -First, -Skip and -IncludeTotalCount
    /// (the meta.total of the first page) work on the whole listing, and -First stops the page requests once it is
    /// met. Without -All they work on what one answer writes: the items of a JSON array, or the one object (a
    /// Laravel page is one object; use -All for its items). Invoke-NmApi pages the same way. Only GET is
    /// retried after an ambiguous failure; other methods change data and are never sent twice, and they honour
    /// -WhatIf and -Confirm.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "PmApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, SupportsPaging = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokePmApiCommand : PmCmdlet
    {
        /// <summary>The HTTP method: GET (default), POST, PUT, PATCH or DELETE.</summary>
        [Parameter(Position = 1)]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        /// <summary>The path under /api/1.0/ (users/1, requests?type=in_progress), or a full URL on the connected instance.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PmApiPathCompleter))]
        public string Path { get; set; } = null!;

        /// <summary>Query parameters to add (values are URL-encoded).</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? Query { get; set; }

        /// <summary>The request body: a hashtable, object or array (sent as JSON), or JSON text.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? Body { get; set; }

        /// <summary>Follow a collection's Laravel pages and write every item of data (GET only).</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            var method = Method.ToUpperInvariant();
            if (All && method != "GET")
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("-All follows the pages of a GET; it cannot be used with " + method + ".", Method));
            }

            object? body = null;
            if (Body != null)
            {
                var plain = PsValues.ToPlain(Body);
                if (plain is string text)
                {
                    try
                    {
                        body = JsonTree.ParseBody(text);
                    }
                    catch (ArgumentException ex)
                    {
                        WriteError(ErrorRecords.InvalidArgument($"-Body is text but not valid JSON: {ex.Message}", Body, "WorkflowTools.InvalidData"));
                        return;
                    }
                }
                else
                {
                    if (!JsonBody.TryValidate(plain, out var problem))
                    {
                        WriteError(ErrorRecords.InvalidArgument($"-Body cannot be sent as JSON: {problem}", Body, "WorkflowTools.InvalidData"));
                        return;
                    }

                    body = plain;
                }
            }

            string pathAndQuery;
            try
            {
                pathAndQuery = WithQuery(Path, Query);
                Api.ResolveSameHost(pathAndQuery);
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorRecords.InvalidArgument(ex.Message, Path, "WorkflowTools.InvalidPath"));
                return;
            }

            if (method != "GET" && !ShouldProcess(pathAndQuery, method))
            {
                return;
            }

            try
            {
                if (All)
                {
                    WriteListing("GET " + pathAndQuery, pathAndQuery, () => Api.StreamCollectionAsync(pathAndQuery), output: ToPs);
                    return;
                }

                var response = Run(ct => Api.SendAsync(method, pathAndQuery, body, method == "GET", ct));
                WriteResponse(response);
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, pathAndQuery));
            }
        }

        private void WriteResponse(ApiResponse response)
        {
            if (response.Body.Length == 0)
            {
                WriteVerbose($"{response.Method} {response.RequestPath} → {response.StatusCode} without a body.");
                return;
            }

            if (!JsonTree.TryParse(response.Body, out var json))
            {
                WriteAnswerItems(new object?[] { response.BodyText });
                return;
            }

            WriteAnswerItems(json is object?[] items ? Array.ConvertAll(items, ToPs) : new[] { ToPs(json) });
        }

        private static string WithQuery(string path, IDictionary? query)
        {
            if (query == null || query.Count == 0)
            {
                return path;
            }

            var extra = new QueryString();
            foreach (DictionaryEntry entry in query)
            {
                var key = Convert.ToString(PsValues.ToPlain(entry.Key), System.Globalization.CultureInfo.InvariantCulture);
                if (string.IsNullOrEmpty(key))
                {
                    throw new ArgumentException("-Query has an empty key.");
                }

                var value = PsValues.ToPlain(entry.Value);
                extra.Add(key!, value switch
                {
                    null => string.Empty,
                    bool b => b ? "1" : "0",
                    DateTime d => JsonBody.FormatDate(d),
                    IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                });
            }

            var text = extra.ToString();
            return path + (path.IndexOf('?') >= 0 ? "&" + text.Substring(1) : text);
        }

        /// <summary>JSON objects become PSCustomObjects in the server's property order (as Invoke-RestMethod writes them); arrays become object[].</summary>
        private static object? ToPs(object? json)
        {
            switch (json)
            {
                case JsonProperties properties:
                    var o = new PSObject();
                    foreach (var property in properties)
                    {
                        if (o.Properties[property.Key] == null)
                        {
                            o.Properties.Add(new PSNoteProperty(property.Key, ToPs(property.Value)));
                        }
                    }

                    return o;
                case object?[] array:
                    var list = new List<object?>();
                    foreach (var item in array)
                    {
                        list.Add(ToPs(item));
                    }

                    return list.ToArray();
                default:
                    return json;
            }
        }
    }
}
