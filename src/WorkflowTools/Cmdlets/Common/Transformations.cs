using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WorkflowTools.NextMatter;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Accepts a [TimeSpan] or any duration text Next Matter documents, with Next Matter's meaning
    /// (<c>00:50</c> = 50 seconds). Anything else fails at binding, before a request is sent.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class NmDurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    throw new ArgumentTransformationMetadataException("A duration is required. Use " + NmDuration.AcceptedForms + ".");
                case TimeSpan span:
                    return CheckNotNegative(span, span.ToString());
                case string text:
                    if (NmDuration.TryParse(text, out var parsed, out var problem))
                    {
                        return CheckNotNegative(parsed, text);
                    }

                    throw new ArgumentTransformationMetadataException(problem);
                case int _:
                case long _:
                    // Next Matter reads a bare number as seconds.
                    return CheckNotNegative(TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)), Convert.ToString(value, CultureInfo.InvariantCulture)!);
                case decimal _:
                case double _:
                case float _:
                    // An unquoted 2d (PowerShell's decimal suffix), 1.5 or 2e3 arrives as a number: 2d is not 2 days.
                    throw new ArgumentTransformationMetadataException(
                        $"{Convert.ToString(value, CultureInfo.InvariantCulture)} (a {value.GetType().Name}) is not a duration: PowerShell reads an unquoted 2d or 1.5 as a number. " +
                        "Put the duration in quotes, e.g. '2 00:00:00' for 2 days or 'PT90M' for 90 minutes. Use " + NmDuration.AcceptedForms + ".");
                default:
                    throw new ArgumentTransformationMetadataException($"'{Convert.ToString(value, CultureInfo.InvariantCulture)}' (a {value.GetType().Name}) is not a duration. Use " + NmDuration.AcceptedForms + ".");
            }
        }

        private static TimeSpan CheckNotNegative(TimeSpan span, string text)
        {
            if (span < TimeSpan.Zero)
            {
                throw new ArgumentTransformationMetadataException($"'{text}' is negative; a runtime is never negative.");
            }

            return span;
        }
    }

    /// <summary>Lets a timeout be given as seconds (<c>-Timeout 30</c>) or a [TimeSpan] (<c>-Timeout 00:02:00</c>).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case int _:
                case long _:
                case double _:
                case decimal _:
                    return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                    return TimeSpan.FromSeconds(seconds);
                case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span):
                    return span;
                default:
                    throw new ArgumentTransformationMetadataException($"'{value}' is not a time: give seconds (30) or a TimeSpan (00:02:00).");
            }
        }
    }

    /// <summary>
    /// Turns a name (any case) or an enum value into an enum value for a parameter, accepting only the values the
    /// parameter can act on. PowerShell's own conversion would list every member, <c>Unknown</c> included, and the
    /// ValidateSet would then refuse it; here the message names exactly what is accepted. Binding errors keep
    /// PowerShell's ErrorId (ParameterArgumentTransformationError), as every other bad argument does.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class EnumArgumentAttribute : ArgumentTransformationAttribute
    {
        private readonly Type _enumType;
        private readonly string[] _accepted;

        /// <param name="enumType">The parameter's enum type (the underlying type of a nullable one).</param>
        /// <param name="accepted">The members the parameter accepts; none given means every member but Unknown.</param>
        public EnumArgumentAttribute(Type enumType, params string[] accepted)
        {
            _enumType = enumType;
            _accepted = accepted.Length > 0
                ? accepted
                : Enum.GetNames(enumType).Where(n => !string.Equals(n, "Unknown", StringComparison.Ordinal)).ToArray();
        }

        /// <summary>Other names also accepted, as "Alias=Member" pairs (for example "InProgress=Active").</summary>
        public string[] Aliases { get; set; } = Array.Empty<string>();

        /// <summary>Take empty or blank text as "not given" ($null): an empty CSV cell bound by property name.</summary>
        public bool BlankIsNull { get; set; }

        /// <summary>The accepted names as a message lists them: "A, B or C".</summary>
        internal string AcceptedText => _accepted.Length == 1
            ? _accepted[0]
            : string.Join(", ", _accepted.Take(_accepted.Length - 1)) + " or " + _accepted[_accepted.Length - 1];

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value == null)
            {
                return null!;
            }

            if (value is System.Collections.IList list && !(value is string))
            {
                // An array parameter (-Status Completed, Canceled): each element the same way.
                var values = Array.CreateInstance(_enumType, list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    values.SetValue(Transform(engineIntrinsics, list[i]!), i);
                }

                return values;
            }

            string? name;
            if (value.GetType() == _enumType)
            {
                name = Enum.GetName(_enumType, value);
            }
            else if (value is string text)
            {
                name = text.Trim();
                if (name.Length == 0 && BlankIsNull)
                {
                    return null!;
                }
            }
            else if (value is int || value is long || value is short || value is byte)
            {
                var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                name = Enum.GetValues(_enumType).Cast<object>()
                    .Where(v => Convert.ToInt64(v, CultureInfo.InvariantCulture) == number)
                    .Select(v => Enum.GetName(_enumType, v))
                    .FirstOrDefault();
            }
            else
            {
                throw new ArgumentTransformationMetadataException($"A {value.GetType().Name} is not a valid value here; use {AcceptedText}.");
            }

            if (Resolve(name) is string member)
            {
                return Enum.Parse(_enumType, member);
            }

            throw new ArgumentTransformationMetadataException($"'{Convert.ToString(value, CultureInfo.InvariantCulture)}' is not a valid value here; use {AcceptedText}.");
        }

        private string? Resolve(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            foreach (var accepted in _accepted)
            {
                if (string.Equals(accepted, name, StringComparison.OrdinalIgnoreCase))
                {
                    return accepted;
                }
            }

            foreach (var pair in Aliases)
            {
                var split = pair.IndexOf('=');
                if (split > 0 && string.Equals(pair.Substring(0, split), name, StringComparison.OrdinalIgnoreCase))
                {
                    return pair.Substring(split + 1);
                }
            }

            return null;
        }
    }
}
