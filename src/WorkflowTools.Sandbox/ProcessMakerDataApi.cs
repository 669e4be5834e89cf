using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static WorkflowTools.Sandbox.PmRoutes;
using static WorkflowTools.Sandbox.Routes;
using static WorkflowTools.Sandbox.SandboxJson;

using WorkflowTools.Sandbox.Pmql;

namespace WorkflowTools.Sandbox;

/// <summary>
/// ProcessMaker's environment variables and security log, as PM4 4.15.6 serves them: routes/api.php (each route's
/// <c>can:</c> permission), Api/EnvironmentVariablesController.php, Models/EnvironmentVariable.php (rules, hidden
/// value), Api/SecurityLogController.php, Models/SecurityLog.php. Request files and process packages have their own files.
/// </summary>
internal sealed class ProcessMakerDataApi
{
    /// <summary>Models/EnvironmentVariable::rules: the name's pattern.</summary>
    private static readonly Regex VariableName = new("^[a-zA-Z][a-zA-Z_$0-9]*$", RegexOptions.CultureInvariant);

    /// <summary>resources/lang/en/environmentVariables.php validation.name.invalid_variable_name.</summary>
    internal const string InvalidVariableName = "Name has to start with a letter and can contain only letters, numbers, and underscores (_).";

    private readonly SandboxServer _server;

    public ProcessMakerDataApi(SandboxServer server) => _server = server;

    private ProcessMakerStore Store => _server.ProcessMaker;

    public void Map(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/processmaker/api/1.0");
        g.AddEndpointFilter(async (ctx, next) => ProcessMakerApi.Authenticate(ctx.HttpContext, Store) ?? await next(ctx));
        g.MapGet("/environment_variables", (HttpContext c) => Guard(c, "view-environment_variables") ?? ListVariables(c));
        g.MapGet("/environment_variables/{id:long}", (HttpContext c, long id) => Guard(c, "view-environment_variables") ?? (Store.FindVariable(id) is { } v ? Json(200, VariableJson(v)) : NotFound()));
        g.MapPost("/environment_variables", H(c => Guard(c, "create-environment_variables") is { } no ? Task.FromResult(no) : CreateVariable(c)));
        g.MapPut("/environment_variables/{id:long}", (HttpContext c, long id) => Guard(c, "edit-environment_variables") is { } no ? Task.FromResult(no) : UpdateVariable(c, id));
        g.MapDelete("/environment_variables/{id:long}", (HttpContext c, long id) => Guard(c, "delete-environment_variables") ?? DeleteVariable(c, id));
        g.MapGet("/security-logs", (HttpContext c) => Guard(c, "view-security-logs") ?? ListSecurityLog(c));
        g.MapGet("/security-logs/{id:long}", (HttpContext c, long id) => Guard(c, "view-security-logs") ?? (Store.SecurityLog.FirstOrDefault(e => e.Id == id) is { } e ? Json(200, SecurityLogJson(e)) : NotFound()));
        new ProcessMakerFilesApi(_server).Map(g);
        new ProcessMakerPackagesApi(_server).Map(g);
    }

    private IResult? Guard(HttpContext c, string permission) => PmRoutes.Guard(c, Store, permission);

    // ---------- environment variables ----------

    /// <summary>EnvironmentVariablesController::index: filter on name or description (LIKE), order_by (name), paged.</summary>
    private IResult ListVariables(HttpContext c)
    {
        var q = c.Request.Query;
        var filter = q["filter"].ToString();
        IEnumerable<PmEnvironmentVariable> rows = Store.EnvironmentVariables;
        if (filter.Length > 0)
            rows = rows.Where(v => v.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || v.Description.Contains(filter, StringComparison.OrdinalIgnoreCase));
        Func<PmEnvironmentVariable, IComparable> key = q["order_by"].ToString() switch
        {
            "id" => v => v.Id,
            "description" => v => v.Description,
            "created_at" => v => v.CreatedAt,
            "updated_at" => v => v.UpdatedAt,
            _ => v => v.Name,
        };
        rows = q["order_direction"].ToString() == "desc" ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return Page(c, rows.Select(v => (JsonNode)VariableJson(v)).ToList());
    }

    private async Task<IResult> CreateVariable(HttpContext c)
    {
        var (body, ok) = await ReadBodyAsync(c);
        var o = ok ? body as JsonObject : null;
        var (name, description, value) = (Input(o, "name"), Input(o, "description"), Input(o, "value"));
        if (Validate(name, description, null) is { } invalid) return invalid;
        var variable = Store.AddVariable(name!, description!, value);
        if (variable == null) return Invalid(new[] { ("name", "The name has already been taken.") });
        Store.RecordSecurityEvent(Me(c).Id, "EnvironmentVariablesCreated", PmDataEvents.VariableCreated(c, variable));
        return Json(201, VariableJson(variable));
    }

    private async Task<IResult> UpdateVariable(HttpContext c, long id)
    {
        var variable = Store.FindVariable(id);
        if (variable == null) return NotFound();
        var (body, ok) = await ReadBodyAsync(c);
        var o = ok ? body as JsonObject : null;
        var (name, description, value) = (Input(o, "name"), Input(o, "description"), Input(o, "value"));
        if (Validate(name, description, variable) is { } invalid) return invalid;
        var before = PmDataEvents.VariableBefore.Of(variable);
        Store.UpdateVariable(variable, name!, description!, value);
        Store.RecordSecurityEvent(Me(c).Id, "EnvironmentVariablesUpdated", PmDataEvents.VariableUpdated(c, variable, before, valueFilled: !string.IsNullOrEmpty(value)));
        return Json(200, VariableJson(variable));
    }

    private IResult DeleteVariable(HttpContext c, long id)
    {
        var variable = Store.FindVariable(id);
        if (variable == null) return NotFound();
        Store.RemoveVariable(variable);
        Store.RecordSecurityEvent(Me(c).Id, "EnvironmentVariablesDeleted", PmDataEvents.VariableDeleted(variable, _server.Clock.Now));
        return Results.Text(string.Empty, "text/html; charset=UTF-8", statusCode: 200);
    }

    /// <summary>EnvironmentVariable::rules: description required; name required, the pattern, unique (ignoring <paramref name="existing"/>).</summary>
    private IResult? Validate(string? name, string? description, PmEnvironmentVariable? existing)
    {
        var errors = new List<(string, string)>();
        if (description == null) errors.Add(("description", "The description field is required."));
        if (name == null) errors.Add(("name", "The name field is required."));
        else if (!VariableName.IsMatch(name)) errors.Add(("name", InvalidVariableName));
        else if (Store.VariableNameTaken(name, existing)) errors.Add(("name", "The name has already been taken."));
        return errors.Count > 0 ? Invalid(errors) : null;
    }

    /// <summary>The model's attributes without the hidden value.</summary>
    private static JsonObject VariableJson(PmEnvironmentVariable v) => new()
    {
        ["id"] = v.Id,
        ["name"] = v.Name,
        ["description"] = v.Description,
        ["created_at"] = PmTime(v.CreatedAt),
        ["updated_at"] = PmTime(v.UpdatedAt),
    };

    // ---------- security log ----------

    /// <summary>SecurityLogController::index: filter, pmql, order_by/order_direction, then the collection paged.</summary>
    private IResult ListSecurityLog(HttpContext c)
    {
        var q = c.Request.Query;
        IEnumerable<PmSecurityLogEntry> rows = Store.SecurityLog;
        var filter = q["filter"].ToString();
        if (filter.Length > 0)
            rows = rows.Where(e => e.Event.Contains(filter, StringComparison.OrdinalIgnoreCase) || e.Ip.Contains(filter, StringComparison.OrdinalIgnoreCase));
        var pmql = q["pmql"].ToString();
        if (pmql.Length > 0)
        {
            var log = new PmqlResource<PmSecurityLogEntry>();
            log.Columns["id"] = e => e.Id;
            log.Columns["event"] = e => e.Event;
            log.Columns["ip"] = e => e.Ip;
            log.Columns["user_id"] = e => e.UserId;
            log.Columns["occurred_at"] = e => e.OccurredAt;
            try { rows = rows.Where(PmqlEvaluator.Compile(PmqlParser.Parse(pmql), log, _server.Clock.Now)).ToList(); }
            catch (PmqlSyntaxException) { return Json(400, new JsonObject { ["message"] = "Syntax error in PMQL" }); }
            catch (PmqlMethodException e) { return Json(400, new JsonObject { ["message"] = e.Message, ["field"] = e.Field }); }
            catch (PmqlUnknownColumnException) { return Json(500, ErrorBodies.ProcessMaker(500)); }
        }

        var orderBy = q["order_by"].ToString();
        if (orderBy.Length > 0)
        {
            Func<PmSecurityLogEntry, IComparable> key = orderBy switch
            {
                "event" => e => e.Event,
                "user_id" => e => e.UserId ?? 0,
                "occurred_at" => e => e.OccurredAt,
                _ => e => e.Id,
            };
            rows = q["order_direction"].ToString() == "desc" ? rows.OrderByDescending(key) : rows.OrderBy(key);
        }

        return Page(c, rows.Select(e => (JsonNode)SecurityLogJson(e)).ToList());
    }

    /// <summary>The model's attributes (changes hidden); meta as PM4's SecurityLogger fills it from the user agent.</summary>
    private static JsonObject SecurityLogJson(PmSecurityLogEntry e) => new()
    {
        ["id"] = e.Id,
        ["event"] = e.Event,
        ["ip"] = e.Ip,
        ["meta"] = new JsonObject
        {
            ["user_agent"] = "WorkflowTools sandbox",
            ["browser"] = new JsonObject { ["name"] = "Unknown", ["version"] = null },
            ["os"] = new JsonObject { ["name"] = "Unknown", ["version"] = null },
        },
        ["user_id"] = e.UserId,
        ["occurred_at"] = PmTime(e.OccurredAt),
        ["data"] = e.Data?.DeepClone(),
    };
}
