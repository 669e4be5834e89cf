using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Completion;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    /// <summary>
    /// The Next Matter REST API, one method per operation. Knows nothing of PowerShell. The class is split by
    /// operation family: this file holds the connection, the workflow reads and what every family shares (a
    /// page request, recording for tab completion the workflows an answer names); instances (create, read, list,
    /// update; the check after an unknown create outcome is <see cref="NmCreateCheck"/>) in
    /// <c>NmClient.Instances.cs</c>, the bulk endpoint with its split on refusal in <c>NmClient.Bulk.cs</c>, step
    /// completion with step-state probing and the form cache in <c>NmClient.Steps.cs</c>, the raw API in
    /// <c>NmClient.Raw.cs</c>.
    /// </summary>
    internal sealed partial class NmClient
    {
        private readonly ApiClient _api;

        public NmClient(ApiClient api)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
        }

        public ApiClient Http => _api;

        /// <summary>The process URL Next Matter wants in a create body; its host follows the connection's base URL.</summary>
        public Uri ProcessUrl(long processId) => _api.Resolve($"processes/{processId.ToString(CultureInfo.InvariantCulture)}/");

        /// <summary>A workflow with its steps and form fields: <c>GET processes/{id}/</c>.</summary>
        public async Task<NmProcess> GetProcessAsync(long id, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", ProcessUrl(id)), cancellationToken).ConfigureAwait(false);
            using var doc = JsonAnswer.Parse(response);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw JsonAnswer.Malformed(response, "a workflow");
            }

            var process = NmProcess.FromJson(doc.RootElement, id, response.Redactor, response.RequestPath);

            // A workflow read is one the session has met: Tab offers it for -ProcessId from now on.
            SeenWorkflows.Remember(process.Url, process.Id);
            return process;
        }

        /// <summary>
        /// The step of a workflow whose form has the field <paramref name="actionId"/>, from the workflow's definition
        /// (<c>GET processes/{id}/</c>). A field no step lists is an <see cref="ApiErrorKind.InvalidInput"/> error.
        /// </summary>
        public async Task<long> FindStepOfActionAsync(long processId, long actionId, CancellationToken cancellationToken)
        {
            var process = await GetProcessAsync(processId, cancellationToken).ConfigureAwait(false);
            var steps = process.Steps.Where(s => s.Actions.Any(a => a.Id == actionId)).Select(s => s.Id).Distinct().ToList();
            if (steps.Count == 1)
            {
                return steps[0];
            }

            throw new ApiException(
                ApiErrorKind.InvalidInput,
                steps.Count == 0
                    ? $"No step of workflow {processId} has the form field {actionId}; Get-NmProcess -ProcessId {processId} -Action lists its fields."
                    : $"Steps {string.Join(", ", steps)} of workflow {processId} all have a form field {actionId}; give -StepId.");
        }

        /// <summary>One form field's values across a workflow's instances, with the instance filters, streamed.</summary>
        public Listing<NmFieldValue> ListFieldValuesAsync(long processId, long stepId, long actionId, NmInstanceQuery query)
        {
            var path = string.Format(CultureInfo.InvariantCulture, "processes/{0}/steps/{1}/actions/{2}/", processId, stepId, actionId);
            var first = _api.Resolve(path + query.ToQuery());
            return Listing.Of(
                first,
                async (uri, ct) =>
                {
                    var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                    // A value row names its instance; one that does not is reported, never handed out.
                    return Pager.ReadDrfPage(response, row =>
                    {
                        Rows.RequireId(row, "instance_id");
                        return NmFieldValue.FromJson(row, processId, stepId, actionId);
                    });
                });
        }

        private async Task<Page<T>> GetPageAsync<T>(Uri uri, Func<JsonElement, T> map, CancellationToken cancellationToken)
        {
            var response = await _api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, cancellationToken).ConfigureAwait(false);
            return Pager.ReadDrfPage(response, map);
        }

        /// <summary>
        /// Records the workflow an instance names for tab completion of -ProcessId (Next Matter cannot list
        /// workflows, so Tab offers those met so far). The client does it, not the model parser, which stays pure.
        /// </summary>
        private static NmInstance Met(NmInstance instance)
        {
            SeenWorkflows.Remember(instance.ProcessUrl, instance.ProcessId);
            return instance;
        }
    }
}
