using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The security log entries PM4 4.15.6 writes for environment variables, processes and request files: each event's
/// <c>getData</c> (ProcessMaker/Events/*.php), dispatched where the controllers do (Http/Controllers/Api/
/// EnvironmentVariablesController.php store/update/destroy, ProcessController.php destroy/restore,
/// ProcessRequestFileController.php store/destroy). What PM4 does not log, the sandbox does not either:
/// a request file's download (ProcessRequestFileController::show tests <c>empty($file['file_name'])</c> on the
/// file's path, a string, which is always empty, so FilesDownloaded is never dispatched there), a process import
/// (ImportController and ImportExport dispatch no ProcessCreated; ProcessUpdated is a broadcast event, not a
/// SecurityLogEventInterface), and an OAuth password grant (Passport checks the password itself and fires none of
/// the Illuminate\Auth events that Listeners/SecurityLogger.php turns into <c>login</c> and <c>attempt</c>).
/// </summary>
internal static class PmDataEvents
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>route('environment-variables.edit', $variable)</c> (routes/web.php: designer/environment-variables/{id}/edit).</summary>
    private static string VariableLink(HttpContext c, long id) => $"{PmPeopleEvents.AppUrl(c)}/designer/environment-variables/{Id(id)}/edit";

    /// <summary><c>route('modeler.show', $process)</c> (routes/web.php: modeler/{process}).</summary>
    private static string ModelerLink(HttpContext c, long id) => $"{PmPeopleEvents.AppUrl(c)}/modeler/{Id(id)}";

    /// <summary><c>route('requests.show', $request)</c> (routes/web.php: requests/{request}).</summary>
    private static string RequestLink(HttpContext c, long id) => $"{PmPeopleEvents.AppUrl(c)}/requests/{Id(id)}";

    /// <summary>Events/EnvironmentVariablesCreated.php getData: the name (label and link), description, creation time.</summary>
    public static JsonObject VariableCreated(HttpContext c, PmEnvironmentVariable v) => new()
    {
        ["name"] = PmPeopleEvents.Labelled(v.Name, VariableLink(c, v.Id)),
        ["description"] = v.Description,
        ["created_at"] = PmPeopleEvents.CarbonJson(v.CreatedAt),
    };

    /// <summary>What an update needs of the variable as it was (Eloquent's <c>getOriginal()</c>).</summary>
    public sealed record VariableBefore(string Name, string Description, bool HadValue)
    {
        public static VariableBefore Of(PmEnvironmentVariable v) => new(v.Name, v.Description, v.Value != null);
    }

    /// <summary>
    /// Events/EnvironmentVariablesUpdated.php getData: the name (label and link), <c>last_modified</c>, then each changed
    /// column as Traits/FormatSecurityLogChanges.php writes it (<c>+ column</c>, and <c>- column</c> when it was set).
    /// A filled value is encrypted anew on every save, so it always counts as changed, and the log shows ciphertexts
    /// (the column's raw attributes; <c>value</c> is not one of SensitiveDataHelper's keys). The sandbox writes a fresh
    /// random stand-in of the same shape (base64 of Laravel's iv/value/mac/tag JSON), never derived from the value.
    /// </summary>
    public static JsonObject VariableUpdated(HttpContext c, PmEnvironmentVariable after, VariableBefore before, bool valueFilled)
    {
        var data = new JsonObject
        {
            ["name"] = PmPeopleEvents.Labelled(after.Name, VariableLink(c, after.Id)),
            ["last_modified"] = PmPeopleEvents.CarbonJson(after.UpdatedAt),
        };
        if (after.Name != before.Name) { data["+ name"] = after.Name; data["- name"] = before.Name; }
        if (after.Description != before.Description) { data["+ description"] = after.Description; data["- description"] = before.Description; }
        if (valueFilled)
        {
            data["+ value"] = StandInCiphertext();
            if (before.HadValue) data["- value"] = StandInCiphertext();
        }
        return data;
    }

    /// <summary>Events/EnvironmentVariablesDeleted.php getData: the name (text, no link), description, the time of the delete.</summary>
    public static JsonObject VariableDeleted(PmEnvironmentVariable v, DateTimeOffset now) => new()
    {
        ["name"] = v.Name,
        ["description"] = v.Description,
        ["deleted_at"] = PmPeopleEvents.CarbonJson(now),
    };

    /// <summary>
    /// Events/ProcessArchived.php and ProcessRestored.php getData (the same shape): the name (label and link to the
    /// modeler), <c>action</c> (the process's new status) and <c>last_modified</c> (its updated_at, set by the save).
    /// </summary>
    public static JsonObject ProcessStatusChanged(HttpContext c, PmProcess p, DateTimeOffset now) => new()
    {
        ["name"] = PmPeopleEvents.Labelled(p.Name, ModelerLink(c, p.Id)),
        ["action"] = p.Status,
        ["last_modified"] = PmPeopleEvents.CarbonJson(now),
    };

    /// <summary>
    /// Events/FilesCreated.php getData for a request's file: <c>name</c> is the request (its id as the label, a link to
    /// it) with the file's id, <c>process</c> the request's name, <c>created_at</c> the media row's.
    /// </summary>
    public static JsonObject FileCreated(HttpContext c, PmRequest request, PmRequestFile file) => new()
    {
        ["name"] = new JsonObject { ["label"] = request.Id, ["link"] = RequestLink(c, request.Id), ["id"] = file.Id },
        ["process"] = request.Name,
        ["created_at"] = PmPeopleEvents.CarbonJson(file.CreatedAt),
    };

    /// <summary>Events/FilesDeleted.php getData: <c>file_name</c>, <c>deleted_at</c>, and <c>name</c> holding only the file's id.</summary>
    public static JsonObject FileDeleted(PmRequestFile file, DateTimeOffset now) => new()
    {
        ["file_name"] = file.FileName,
        ["deleted_at"] = PmPeopleEvents.CarbonJson(now),
        ["name"] = new JsonObject { ["id"] = file.Id },
    };

    private static string StandInCiphertext()
    {
        string B64(int n) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(n));
        var payload = new JsonObject { ["iv"] = B64(16), ["value"] = B64(32), ["mac"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(), ["tag"] = "" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString()));
    }
}
