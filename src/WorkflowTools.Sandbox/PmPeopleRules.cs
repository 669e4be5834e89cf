using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowTools.Sandbox;

/// <summary>
/// PM4's validation of users and groups, with Laravel's messages as PM4's <c>resources/lang/en/validation.php</c>
/// words them (":Attribute" capitalised; First Name and Last Name from its attribute names).
/// Sources (4.15.6): <c>Models/User.php</c> <c>rules()</c> and <c>passwordRules()</c> with the default password policy
/// (min 8, numbers, uppercase via <c>Rules/StringHasAtLeastOneUpperCaseCharacter</c>, symbols); <c>Models/Group.php</c>
/// <c>rules()</c> with the <c>alpha_spaces</c> rule of <c>Providers/ProcessMakerServiceProvider.php</c>. As in Laravel, a
/// missing or empty field meets only its <c>required</c> rule; a present value meets every rule that fails, in order.
/// </summary>
internal static class PmPeopleRules
{
    public static readonly string[] UserStatuses = { "ACTIVE", "INACTIVE", "OUT_OF_OFFICE", "SCHEDULED", "BLOCKED" };

    /// <summary>Fillable text columns served back as given (User::$fillable, less the ones validated or handled apart).</summary>
    public static readonly string[] ProfileFields =
    {
        "address", "city", "state", "postal", "country", "phone", "fax", "cell", "title", "birthdate", "timezone", "datetime_format", "language",
    };

    private static readonly Regex Username = new(@"^[a-zA-Z0-9.!#$*+=^_`|~\-@]+$", RegexOptions.CultureInvariant);
    private static readonly Regex PhoneLike = new(@"^[+\.0-9x\)\(\-\s\/]*$", RegexOptions.CultureInvariant);
    private static readonly Regex AlphaSpaces = new(@"^[\p{L}\s\-_\d\.']+$", RegexOptions.CultureInvariant);
    // Approximates the RFC check of Laravel's 'email' rule: one @, something either side, no spaces, no empty labels.
    private static readonly Regex Email = new(@"^[^@\s""(),:;<>\[\\\]]+@[^@\s""(),:;<>\[\\\]]+$", RegexOptions.CultureInvariant);

    /// <summary>Field errors in rule order; empty when valid.</summary>
    public sealed class Errors
    {
        public List<(string Field, List<string> Messages)> Items { get; } = new();
        public bool Any => Items.Count > 0;

        public void Add(string field, string message)
        {
            var entry = Items.FirstOrDefault(i => i.Field == field);
            if (entry.Messages == null) Items.Add((field, new List<string> { message }));
            else entry.Messages.Add(message);
        }

        /// <summary>Laravel's 422 body: message = the first error, "(and N more errors)" counting every other message.</summary>
        public JsonObject Body()
        {
            var all = Items.SelectMany(i => i.Messages).ToList();
            var more = all.Count - 1;
            var message = all[0] + (more > 0 ? $" (and {more} more error{(more > 1 ? "s" : "")})" : "");
            var errors = new JsonObject();
            foreach (var (field, messages) in Items) errors[field] = SandboxJson.Strings(messages);
            return new JsonObject { ["message"] = message, ["errors"] = errors };
        }
    }

    /// <summary>
    /// A request field after Laravel's TrimStrings and ConvertEmptyStringsToNull middleware: null when absent, JSON
    /// null or blank. Numbers and booleans come back as their JSON text.
    /// </summary>
    public static string? Text(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node == null) return null;
        var s = node is JsonValue v && v.TryGetValue<string>(out var str) ? str : node.ToJsonString();
        s = s.Trim();
        return s.Length == 0 ? null : s;
    }

    /// <summary>User::rules($existing): <paramref name="existing"/> null for a new user (password then required).</summary>
    public static Errors CheckUser(JsonObject body, PmUser? existing, IEnumerable<PmUser> allUsers)
    {
        var e = new Errors();
        var username = Text(body, "username");
        if (username == null) e.Add("username", "The Username field is required.");
        else
        {
            if (!Username.IsMatch(username)) e.Add("username", "The Username field format is invalid.");
            if (username.Length < 2) e.Add("username", "The Username field must be at least 2 characters.");
            if (username.Length > 255) e.Add("username", "The Username field must not be greater than 255 characters.");
            // Rule::unique('users') looks at every row, soft-deleted users included (UsersTest::testCreatePreviouslyDeletedUser).
            // MySQL's default collation compares case-insensitively.
            if (allUsers.Any(u => u.Id != existing?.Id && string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)))
                e.Add("username", "The Username has already been taken.");
        }
        Required(e, body, "firstname", "First Name", 50);
        Required(e, body, "lastname", "Last Name", 50);
        var email = Text(body, "email");
        if (email == null) e.Add("email", "The Email field is required.");
        else if (!Email.IsMatch(email) || email.Contains("..", StringComparison.Ordinal)) e.Add("email", "The Email field must be a valid email address.");
        if (Text(body, "birthdate") is { } birth && !DateTime.TryParse(birth, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            e.Add("birthdate", "The Birthdate field must be a valid date.");
        foreach (var (field, label) in new[] { ("phone", "Phone"), ("fax", "Fax"), ("cell", "Cell") })
            if (Text(body, field) is { } value && !PhoneLike.IsMatch(value)) e.Add(field, $"The {label} field format is invalid.");
        var status = Text(body, "status");
        if (status == null) e.Add("status", "The Status field is required.");
        else if (!UserStatuses.Contains(status, StringComparer.Ordinal)) e.Add("status", "The selected Status is invalid.");
        // 'required' plus 'sometimes' on update: an update without a password is fine; a present one is checked.
        if (existing == null || body.ContainsKey("password"))
        {
            var password = Text(body, "password");
            if (password == null) e.Add("password", "The Password field is required.");
            else CheckPassword(e, password);
        }
        return e;
    }

    /// <summary>
    /// The default password policy, in the order of passwordRules(): the uppercase rule (its own message uses the
    /// lower-case attribute), then Laravel's Password rule (min, then symbols, then numbers, as its after-hook adds them).
    /// </summary>
    public static void CheckPassword(Errors e, string password)
    {
        if (!Regex.IsMatch(password, "[A-Z]")) e.Add("password", "The password must contain at least one uppercase character.");
        if (password.Length < 8) e.Add("password", "The Password field must be at least 8 characters.");
        if (!Regex.IsMatch(password, @"\p{Z}|\p{S}|\p{P}")) e.Add("password", "The Password field must contain at least one symbol.");
        if (!Regex.IsMatch(password, @"\p{N}")) e.Add("password", "The Password field must contain at least one number.");
    }

    /// <summary>Group::rules($existing): name required, string, max 255, unique, alpha_spaces; status ACTIVE or INACTIVE.</summary>
    public static Errors CheckGroup(JsonObject body, PmGroup? existing, IEnumerable<PmGroup> allGroups)
    {
        var e = new Errors();
        var name = Text(body, "name");
        if (name == null) e.Add("name", "The Name field is required.");
        else
        {
            if (body["name"] is not JsonValue v || !v.TryGetValue<string>(out _)) e.Add("name", "The Name field must be a string.");
            if (name.Length > 255) e.Add("name", "The Name field must not be greater than 255 characters.");
            if (allGroups.Any(g => g.Id != existing?.Id && string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)))
                e.Add("name", "The Name has already been taken.");
            if (!AlphaSpaces.IsMatch(name)) e.Add("name", "The Name may only contain alphanumeric characters.");
        }
        // 'status' => 'in:...' without 'required': only a present value is checked.
        if (Text(body, "status") is { } status && status is not ("ACTIVE" or "INACTIVE")) e.Add("status", "The selected Status is invalid.");
        return e;
    }

    private static void Required(Errors e, JsonObject body, string field, string label, int max)
    {
        var value = Text(body, field);
        if (value == null) e.Add(field, $"The {label} field is required.");
        else if (value.Length > max) e.Add(field, $"The {label} field must not be greater than {max} characters.");
    }
}
