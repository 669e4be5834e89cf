using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// The security log entries of environment variables, processes and request files, as PM4 4.15.6
/// (github:ProcessMaker/processmaker) writes them: Http/Controllers/Api/EnvironmentVariablesController.php,
/// ProcessController.php and ProcessRequestFileController.php dispatch the events; Events/EnvironmentVariablesCreated.php,
/// EnvironmentVariablesUpdated.php, EnvironmentVariablesDeleted.php, ProcessArchived.php, ProcessRestored.php,
/// FilesCreated.php, FilesDeleted.php give the names and data (Traits/FormatSecurityLogChanges.php the changed columns);
/// tests/Feature/Api/SecurityLogsTest.php (testEnvironmentVariablesCreated, testEnvironmentVariablesUpdated,
/// testEnvironmentVariablesDeleted, testProcessArchived, testProcessRestored) checks the event names. What PM4 does
/// not dispatch (a file download through the API, a process import, an OAuth password grant) is not logged.
/// </summary>
public sealed class ProcessMakerDataSecurityLogTests
{
    private const string CarbonJson = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$";

    private static async Task<JsonObject> Last(HttpClient admin, string eventName)
    {
        var (status, body, _) = await admin.GetAsync2($"security-logs?pmql={Uri.EscapeDataString($"event = \"{eventName}\"")}&order_by=id&order_direction=desc");
        Assert.Equal(200, status);
        var entry = body!["data"]!.AsArray().First()!.AsObject();
        Assert.Equal(eventName, (string)entry["event"]!);
        Assert.Equal(1L, (long)entry["user_id"]!);
        return entry["data"]!.AsObject();
    }

    private static string Root(HttpClient c) => c.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/processmaker";

    [Fact] // SecurityLogsTest::testEnvironmentVariablesCreated, testEnvironmentVariablesUpdated, testEnvironmentVariablesDeleted
    public async Task Environment_variable_events_have_PM4s_names_links_changed_columns_and_never_the_value()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var (status, body, _) = await admin.PostAsync2("environment_variables", "{\"name\":\"AUDITED\",\"description\":\"audit\",\"value\":\"Secret-Value-1\"}");
        Assert.Equal(201, status);
        var id = (long)body!["id"]!;
        var link = $"{Root(admin)}/designer/environment-variables/{id}/edit";

        var created = await Last(admin, "EnvironmentVariablesCreated");
        Assert.Equal(new[] { "name", "description", "created_at" }, created.Select(p => p.Key));
        Assert.Equal("AUDITED", (string)created["name"]!["label"]!);
        Assert.Equal(link, (string)created["name"]!["link"]!);
        Assert.Equal("audit", (string)created["description"]!);
        Assert.Matches(CarbonJson, (string)created["created_at"]!);

        // Name and description change, no value: only those columns, old and new.
        Assert.Equal(200, (await admin.PutAsync2($"environment_variables/{id}", "{\"name\":\"AUDITED2\",\"description\":\"audited\"}")).Status);
        var updated = await Last(admin, "EnvironmentVariablesUpdated");
        Assert.Equal(new[] { "name", "last_modified", "+ name", "- name", "+ description", "- description" }, updated.Select(p => p.Key));
        Assert.Equal("AUDITED2", (string)updated["name"]!["label"]!);
        Assert.Equal(link, (string)updated["name"]!["link"]!);
        Assert.Matches(CarbonJson, (string)updated["last_modified"]!);
        Assert.Equal("AUDITED2", (string)updated["+ name"]!);
        Assert.Equal("AUDITED", (string)updated["- name"]!);
        Assert.Equal("audited", (string)updated["+ description"]!);
        Assert.Equal("audit", (string)updated["- description"]!);
        Assert.False(updated.ContainsKey("value_changed"));

        // A filled value is encrypted anew, so it shows as changed, as ciphertexts only.
        Assert.Equal(200, (await admin.PutAsync2($"environment_variables/{id}", "{\"name\":\"AUDITED2\",\"description\":\"audited\",\"value\":\"Secret-Value-2\"}")).Status);
        updated = await Last(admin, "EnvironmentVariablesUpdated");
        Assert.Equal(new[] { "name", "last_modified", "+ value", "- value" }, updated.Select(p => p.Key));
        Assert.NotEqual((string)updated["+ value"]!, (string)updated["- value"]!);
        Assert.Contains("\"iv\"", Encoding.UTF8.GetString(Convert.FromBase64String((string)updated["+ value"]!)));

        Assert.Equal(200, (await admin.SendAsync(HttpMethod.Delete, $"environment_variables/{id}")).Status);
        var deleted = await Last(admin, "EnvironmentVariablesDeleted");
        Assert.Equal(new[] { "name", "description", "deleted_at" }, deleted.Select(p => p.Key));
        Assert.Equal("AUDITED2", (string)deleted["name"]!); // text, no link: the variable is gone
        Assert.Equal("audited", (string)deleted["description"]!);
        Assert.Matches(CarbonJson, (string)deleted["deleted_at"]!);

        var log = (await admin.GetAsync2("security-logs?per_page=100")).Text;
        Assert.DoesNotContain("Secret-Value", log);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("Secret-Value")), log);
    }

    [Fact] // SecurityLogsTest::testProcessArchived, testProcessRestored
    public async Task Archive_and_restore_log_the_process_with_a_modeler_link_and_its_new_status()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var name = s.ProcessMaker.FindProcess(2)!.Name;
        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, "processes/2")).Status);
        var archived = await Last(admin, "ProcessArchived");
        Assert.Equal(new[] { "name", "action", "last_modified" }, archived.Select(p => p.Key));
        Assert.Equal(name, (string)archived["name"]!["label"]!);
        Assert.Equal($"{Root(admin)}/modeler/2", (string)archived["name"]!["link"]!);
        Assert.Equal("ARCHIVED", (string)archived["action"]!);
        Assert.Matches(CarbonJson, (string)archived["last_modified"]!);

        Assert.Equal(200, (await admin.PutAsync2("processes/2/restore", "{}")).Status);
        var restored = await Last(admin, "ProcessRestored");
        Assert.Equal(new[] { "name", "action", "last_modified" }, restored.Select(p => p.Key));
        Assert.Equal("ACTIVE", (string)restored["action"]!);
    }

    [Fact] // ProcessRequestFileController::store and destroy dispatch FilesCreated and FilesDeleted; show dispatches nothing
    public async Task Request_files_log_upload_and_delete_as_PM4_does_and_not_the_download()
    {
        await using var s = await SandboxServer.StartAsync();
        using var admin = TestSupport.PmClient(s);
        var request = s.ProcessMaker.AddRequest(1);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("hello")), "file", "note.txt");
        using var upload = await admin.PostAsync($"requests/{request.Id}/files?data_name=note", form);
        Assert.Equal(200, (int)upload.StatusCode);
        var fileId = (long)JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["fileUploadId"]!;

        var created = await Last(admin, "FilesCreated");
        Assert.Equal(new[] { "name", "process", "created_at" }, created.Select(p => p.Key));
        Assert.Equal(request.Id, (long)created["name"]!["label"]!); // the request, not the file
        Assert.Equal($"{Root(admin)}/requests/{request.Id}", (string)created["name"]!["link"]!);
        Assert.Equal(fileId, (long)created["name"]!["id"]!);
        Assert.Equal(request.Name, (string)created["process"]!);
        Assert.Matches(CarbonJson, (string)created["created_at"]!);

        Assert.Equal(200, (await admin.GetAsync2($"requests/{request.Id}/files/{fileId}")).Status);
        Assert.Equal(204, (await admin.SendAsync(HttpMethod.Delete, $"requests/{request.Id}/files/{fileId}")).Status);
        var deleted = await Last(admin, "FilesDeleted");
        Assert.Equal(new[] { "file_name", "deleted_at", "name" }, deleted.Select(p => p.Key));
        Assert.Equal("note.txt", (string)deleted["file_name"]!);
        Assert.Matches(CarbonJson, (string)deleted["deleted_at"]!);
        Assert.Equal(fileId, (long)deleted["name"]!["id"]!);

        Assert.Equal(new[] { "FilesCreated", "FilesDeleted" }, s.ProcessMaker.SecurityLog.Select(e => e.Event));
    }

    [Fact] // Listeners/SecurityLogger.php logs login/attempt from Illuminate\Auth events, which Passport's password grant does not fire
    public async Task A_password_grant_and_a_process_import_are_not_logged()
    {
        await using var s = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        var tokenUrl = new Uri(s.ProcessMakerInstanceUri, "oauth/token");
        foreach (var password in new[] { "wrong", "admin" })
        {
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = ProcessMakerStore.OAuthClientId,
                ["client_secret"] = ProcessMakerStore.OAuthClientSecret, ["username"] = "admin", ["password"] = password,
            };
            using var response = await http.PostAsync(tokenUrl, new FormUrlEncodedContent(form));
            Assert.Equal(password == "admin" ? 200 : 400, (int)response.StatusCode);
        }

        using var admin = TestSupport.PmClient(s);
        var (status, _, package) = await admin.PostAsync2("export/process/download/2", "{\"options\":{}}");
        Assert.Equal(200, status);
        using var import = new MultipartFormDataContent();
        import.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(package)), "file", "package.json");
        using var imported = await admin.PostAsync("import/do-import", import);
        Assert.Equal(200, (int)imported.StatusCode);

        Assert.Empty(s.ProcessMaker.SecurityLog);
    }
}
