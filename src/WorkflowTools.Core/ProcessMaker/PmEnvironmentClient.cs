using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;
using WorkflowTools.Json;

namespace WorkflowTools.ProcessMaker
{
    /// <summary>
    /// ProcessMaker's environment variables (<c>/environment_variables</c>, PM4 4.15.6 EnvironmentVariablesController).
    /// A value is sent, never read: the server hides it in every answer. The request that carries it is marked
    /// <see cref="ApiRequest.SecretBody"/> (never traced), and its bytes are cleared once sent.
    /// </summary>
    internal sealed class PmEnvironmentClient
    {
        private readonly PmClient _client;

        public PmEnvironmentClient(PmClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        private ApiClient Api => _client.Http;

        /// <summary>Every variable (or those whose name or description contains <paramref name="filter"/>), by name.</summary>
        public Listing<PmEnvironmentVariable> List(string? filter, int? pageSize)
        {
            var query = new QueryString()
                .Add("filter", string.IsNullOrEmpty(filter) ? null : filter)
                .Add("order_by", "name")
                .Add("order_direction", "asc")
                .Add("per_page", pageSize is int size ? size.ToString(CultureInfo.InvariantCulture) : null);
            var first = Api.Resolve("environment_variables" + query);
            return Listing.Of(first, async (uri, ct) =>
            {
                var response = await Api.SendAsync(new ApiRequest("GET", uri) { PooledBody = true }, ct).ConfigureAwait(false);
                return LaravelPaging.ReadPage(response, uri, row =>
                {
                    Rows.RequireId(row);
                    return PmEnvironmentVariable.FromJson(row);
                });
            });
        }

        public async Task<PmEnvironmentVariable> GetAsync(long id, CancellationToken cancellationToken)
        {
            var response = await Api.SendAsync(new ApiRequest("GET", Api.Resolve($"environment_variables/{Id(id)}")), cancellationToken).ConfigureAwait(false);
            return Read(response);
        }

        /// <summary>The variable with exactly this name (ProcessMaker's filter is a substring search); null when none.</summary>
        public async Task<PmEnvironmentVariable?> FindByNameAsync(string name, CancellationToken cancellationToken)
        {
            await foreach (var variable in List(name, 100).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(variable.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return variable;
                }
            }

            return null;
        }

        /// <summary>Creates a variable (201). Not resent when the outcome is unknown.</summary>
        public Task<PmEnvironmentVariable> CreateAsync(string name, string description, SecureString? value, CancellationToken cancellationToken) =>
            SendWithValueAsync("POST", "environment_variables", name, description, value, $"create environment variable {name}", cancellationToken);

        /// <summary>
        /// Changes a variable: name and description always (ProcessMaker requires both), the value only when one is
        /// given (an empty value leaves the stored one as it is, as ProcessMaker does).
        /// </summary>
        public Task<PmEnvironmentVariable> UpdateAsync(long id, string name, string description, SecureString? value, CancellationToken cancellationToken) =>
            SendWithValueAsync("PUT", $"environment_variables/{Id(id)}", name, description, value, $"change environment variable {name}", cancellationToken);

        /// <summary>Deletes a variable (answered 200 with an empty body).</summary>
        public async Task DeleteAsync(long id, CancellationToken cancellationToken)
        {
            var request = new ApiRequest("DELETE", Api.Resolve($"environment_variables/{Id(id)}")) { Operation = $"delete environment variable {Id(id)}" };
            await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private async Task<PmEnvironmentVariable> SendWithValueAsync(string method, string path, string name, string description, SecureString? value, string operation, CancellationToken cancellationToken)
        {
            var body = Body(name, description, value);
            try
            {
                var request = new ApiRequest(method, Api.Resolve(path), body, idempotent: false) { Operation = operation, SecretBody = value != null };
                var response = await Api.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return Read(response);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        /// <summary>The JSON body, written straight from the SecureString into a buffer the caller clears (no string of the value).</summary>
        internal static byte[] Body(string name, string description, SecureString? value)
        {
            var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("description", description);
                if (value != null)
                {
                    var chars = SecretText.ToChars(value);
                    try
                    {
                        writer.WriteString("value", chars);
                    }
                    finally
                    {
                        Array.Clear(chars, 0, chars.Length);
                    }
                }

                writer.WriteEndObject();
            }

            var bytes = buffer.ToArray();
            Array.Clear(buffer.GetBuffer(), 0, (int)buffer.Length);
            return bytes;
        }

        private static PmEnvironmentVariable Read(ApiResponse response)
        {
            using var doc = JsonAnswer.Parse(response);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.Long("id") == null && root.Prop("data") is JsonElement wrapped && wrapped.ValueKind == JsonValueKind.Object)
            {
                root = wrapped;
            }

            if (root.ValueKind != JsonValueKind.Object || !(root.Long("id") > 0))
            {
                throw JsonAnswer.Malformed(response, "an environment variable (an object with a positive id)");
            }

            return PmEnvironmentVariable.FromJson(root);
        }

        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A SecureString's characters, in an array the caller clears.</summary>
    internal static class SecretText
    {
        public static char[] ToChars(SecureString value)
        {
            var pointer = System.Runtime.InteropServices.Marshal.SecureStringToGlobalAllocUnicode(value);
            try
            {
                var chars = new char[value.Length];
                System.Runtime.InteropServices.Marshal.Copy(pointer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                System.Runtime.InteropServices.Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
