using System;
using System.Globalization;
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
                default:
                    throw new ArgumentTransformationMetadataException($"A {value.GetType().Name} is not a duration. Use " + NmDuration.AcceptedForms + ".");
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
}
