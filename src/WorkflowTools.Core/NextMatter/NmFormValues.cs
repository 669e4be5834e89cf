using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using WorkflowTools.Json;

namespace WorkflowTools.NextMatter
{
    /// <summary>The form-field types whose <c>input_object</c> shape Next Matter documents, and the rest.</summary>
    internal enum NmFieldKind
    {
        /// <summary>A type name this client does not know: a plain value goes out as <c>{"inputValue": value}</c>, with a warning.</summary>
        Other = 0,
        Text,
        Number,
        Url,
        Date,
        Dropdown,
        Radio,
        Checklist,
        Address,
        /// <summary>Routing / decision: <c>{"action":"complete|return|skip_forward|decline", …}</c>.</summary>
        Decision,
        /// <summary>Multi-value dropdown: <c>{"itemsSelected":[…]}</c> (Next Matter's data references name <c>itemsSelected</c>).</summary>
        MultiDropdown,
        /// <summary>File, image, user, table: known names whose input object Next Matter does not document (passed on as <c>{"inputValue": value}</c>, with a warning).</summary>
        Undocumented,
    }

    /// <summary>
    /// Turns the short form of a form value (a PowerShell value per action id) into the <c>input_object</c> that the
    /// field's type needs, as documented on help.nextmatter.com ("Complete a step"): text <c>{"inputValue":"…"}</c>,
    /// number <c>{"numberValue":10000,"formattedValue":"10000"}</c>, URL <c>{"url":{"url":"https://…"}}</c>, date
    /// <c>{"date":iso}</c>, dropdown <c>{"itemSelected":"…"}</c>, radio <c>{"inputValue":{"radioItemSelected":"…"}}</c>,
    /// checklist <c>{"inputValue":{"itemsChecked":[…]}}</c>, decision <c>{"action":"complete"}</c>, multi-value dropdown
    /// <c>{"itemsSelected":[…]}</c> (the key Next Matter's data references name; the single dropdown's <c>itemSelected</c>
    /// in plural). A hashtable is the input object itself, except that the radio's and the checklist's inner object gets
    /// its <c>inputValue</c> wrapper. Without a known field type, the value's own type decides.
    /// </summary>
    internal static class NmFormValues
    {
        private static readonly string[] DecisionActions = { "complete", "return", "skip_forward", "decline" };

        /// <summary>A type name as <see cref="KindOf"/> compares it: trimmed, lower case, '-' and ' ' as '_'.</summary>
        public static string Normalize(string? type) => (type ?? string.Empty).Trim().ToLowerInvariant().Replace("-", "_").Replace(" ", "_");

        /// <summary>Reads a form definition's type name; the names are undocumented, so common spellings are accepted.</summary>
        public static NmFieldKind KindOf(string? type)
        {
            switch (Normalize(type))
            {
                case "multi_dropdown":
                case "multidropdown":
                case "multi_value_dropdown":
                case "multivalue_dropdown":
                case "dropdown_multi":
                case "multi_select":
                case "multiselect":
                case "multiple_select":
                case "multi_select_dropdown":
                    return NmFieldKind.MultiDropdown;
                case "file":
                case "files":
                case "file_upload":
                case "image":
                case "images":
                case "user":
                case "table":
                    return NmFieldKind.Undocumented;
                case "text":
                case "short_text":
                case "long_text":
                case "textarea":
                case "text_area":
                case "string":
                case "email":
                    return NmFieldKind.Text;
                case "number":
                case "numeric":
                case "integer":
                case "decimal":
                case "currency":
                    return NmFieldKind.Number;
                case "url":
                case "link":
                    return NmFieldKind.Url;
                case "date":
                case "datetime":
                case "date_time":
                    return NmFieldKind.Date;
                case "dropdown":
                case "select":
                case "single_select":
                    return NmFieldKind.Dropdown;
                case "radio":
                case "radio_button":
                case "radiobutton":
                    return NmFieldKind.Radio;
                case "checklist":
                case "checkbox":
                case "checkboxes":
                    return NmFieldKind.Checklist;
                case "address":
                    return NmFieldKind.Address;
                case "decision":
                case "routing":
                case "approval":
                    return NmFieldKind.Decision;
                default:
                    return NmFieldKind.Other;
            }
        }

        /// <summary>
        /// The input object for <paramref name="value"/> (already plain: no PSObject) in a field of type
        /// <paramref name="kind"/>; <c>null</c> kind = unknown. Throws <see cref="ArgumentException"/> with a message
        /// for the user when the value cannot be what the field needs.
        /// </summary>
        public static object? ToInputObject(long actionId, object? value, NmFieldKind? kind, string? fieldName = null)
        {
            if (value is IDictionary dictionary)
            {
                return WithWrapper(dictionary);
            }

            var what = fieldName == null ? $"action {actionId}" : $"action {actionId} (\"{fieldName}\")";
            switch (kind)
            {
                case null:
                    return ByValueType(value);
                case NmFieldKind.Text:
                    return Wrap("inputValue", value is DateTime || value is DateTimeOffset ? FormatDate(value) : Text(value));
                case NmFieldKind.Number:
                {
                    if (!TryNumber(value, out var number))
                    {
                        throw new ArgumentException($"The value for {what}, a number field, must be a number; got '{Text(value)}'.");
                    }

                    return new Dictionary<string, object?> { ["numberValue"] = number, ["formattedValue"] = Convert.ToString(number, CultureInfo.InvariantCulture) };
                }

                case NmFieldKind.Url:
                {
                    var text = value is Uri uri ? uri.OriginalString : Text(value);
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new ArgumentException($"The value for {what}, a URL field, must be an absolute http:// or https:// URL; got '{text}'.");
                    }

                    return new Dictionary<string, object?> { ["url"] = new Dictionary<string, object?> { ["url"] = text } };
                }

                case NmFieldKind.Date:
                {
                    if (value is DateTime || value is DateTimeOffset)
                    {
                        return Wrap("date", FormatDate(value));
                    }

                    if (value is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsedDate))
                    {
                        return Wrap("date", JsonBody.FormatDate(parsedDate));
                    }

                    throw new ArgumentException($"The value for {what}, a date field, must be a [datetime] or an ISO 8601 date; got '{Text(value)}'.");
                }

                case NmFieldKind.Dropdown:
                    return Wrap("itemSelected", Text(value));
                case NmFieldKind.MultiDropdown:
                {
                    var items = value is string || value == null ? new[] { value } : value is IEnumerable list ? list.Cast<object?>() : new[] { value };
                    return Wrap("itemsSelected", items.Where(i => i != null).Select(Text).ToArray());
                }

                case NmFieldKind.Radio:
                    return Wrap("inputValue", Wrap("radioItemSelected", Text(value)));
                case NmFieldKind.Checklist:
                {
                    var items = value is string || value == null ? new[] { value } : value is IEnumerable list ? list.Cast<object?>() : new[] { value };
                    return Wrap("inputValue", Wrap("itemsChecked", items.Where(i => i != null).Select(Text).ToArray()));
                }

                case NmFieldKind.Address:
                    throw new ArgumentException($"The value for {what}, an address field, must be a hashtable: @{{ inputValue = @{{ street = '…'; city = '…'; zipCode = '…' }} }}.");
                case NmFieldKind.Decision:
                {
                    var action = Text(value).Trim().ToLowerInvariant().Replace("-", "_").Replace(" ", "_");
                    if (action == "skipforward")
                    {
                        action = "skip_forward";
                    }

                    if (!DecisionActions.Contains(action))
                    {
                        throw new ArgumentException($"The value for {what}, a decision field, must be complete, return, skip_forward or decline; got '{Text(value)}'.");
                    }

                    if (action == "return")
                    {
                        throw new ArgumentException($"Returning from {what} needs the step to return to: @{{ action = 'return'; returnToStep = <step id> }}.");
                    }

                    return Wrap("action", action);
                }

                default:
                    return ByValueType(value);
            }
        }

        /// <summary>Without a field type: a [datetime] is a date, anything else text-like <c>inputValue</c>.</summary>
        public static object? ByValueType(object? value)
        {
            switch (value)
            {
                case IDictionary dictionary:
                    return WithWrapper(dictionary);
                case DateTime _:
                case DateTimeOffset _:
                    return Wrap("date", FormatDate(value));
                default:
                    return Wrap("inputValue", value);
            }
        }

        /// <summary>
        /// The keys Next Matter documents only inside <c>inputValue</c> (radio <c>radioItemSelected</c>, checklist
        /// <c>itemsChecked</c>): a hashtable of just those, the quick start's <c>@{ itemSelected = … }</c> pattern
        /// applied to a radio field or a checklist, gets the wrapper it lacks. Any other hashtable goes out as it is.
        /// </summary>
        private static readonly string[] InsideInputValue = { "radioItemSelected", "itemsChecked" };

        private static IDictionary WithWrapper(IDictionary value)
        {
            if (value.Count == 0)
            {
                return value;
            }

            foreach (var key in value.Keys)
            {
                if (!(key is string name) || !InsideInputValue.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return value;
                }
            }

            return Wrap("inputValue", value);
        }

        private static Dictionary<string, object?> Wrap(string key, object? value) => new Dictionary<string, object?> { [key] = value };

        private static string FormatDate(object? value) =>
            value is DateTimeOffset dto ? JsonBody.FormatDate(dto) : JsonBody.FormatDate((DateTime)value!);

        private static string Text(object? value) => value == null ? string.Empty : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

        private static bool TryNumber(object? value, out object number)
        {
            switch (value)
            {
                case int _:
                case long _:
                case short _:
                case byte _:
                case uint _:
                case ulong _:
                case decimal _:
                    number = value;
                    return true;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d):
                    number = d;
                    return true;
                case float f when !float.IsNaN(f) && !float.IsInfinity(f):
                    number = (double)f;
                    return true;
                case string s when decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed):
                    number = parsed;
                    return true;
                default:
                    number = 0;
                    return false;
            }
        }
    }
}
