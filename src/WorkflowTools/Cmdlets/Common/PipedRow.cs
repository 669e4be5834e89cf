using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Binds a cmdlet's -InputObject to the piped object itself, so that the cmdlet sees what was piped and can tell
    /// it by its type: a workflow from an instance (both carry an Id), a request or task from a process, a step
    /// completion from an instance. The ids keep binding by property name as before (PowerShell converts and checks
    /// them); -InputObject only adds the whole object, on the same item.
    /// </summary>
    /// <remarks>
    /// PowerShell first offers a piped object to the parameters that take it by value, unconverted: this attribute
    /// sees it there. A row this cmdlet reads (an object with one of <see cref="Properties"/>) is taken as it is. A
    /// piped number, or text that is one, is an id for -Id and binds -InputObject to $null. Anything else is declined
    /// (an invalid cast, which PowerShell takes as "not this parameter"), so an object that binds to nothing is still
    /// reported by PowerShell as one that binds to nothing. A parameter that only looked at property names could not
    /// know a workflow from an instance; a separate parameter set for the whole object would make PowerShell choose
    /// the set before it sees the object's properties.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class PipedRowAttribute : ArgumentTransformationAttribute
    {
        /// <param name="properties">The properties that make an object a row for this cmdlet: the ones it binds or reads.</param>
        public PipedRowAttribute(params string[] properties)
        {
            Properties = properties;
        }

        /// <summary>The properties that make an object a row for this cmdlet.</summary>
        public string[] Properties { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData == null)
            {
                return null;
            }

            var row = inputData as PSObject ?? PSObject.AsPSObject(inputData);
            if (Properties.Any(name => row.Properties[name] != null))
            {
                return row;
            }

            var value = row.BaseObject;
            if ((value is string || value.GetType().IsPrimitive || value is decimal)
                && LanguagePrimitives.TryConvertTo<long>(value, CultureInfo.InvariantCulture, out _))
            {
                return null;
            }

            throw new PSInvalidCastException($"A {value.GetType().Name} is not a row this command reads.");
        }
    }

    /// <summary>Reads what a piped row (a cmdlet's -InputObject) says beyond the ids PowerShell bound from it.</summary>
    internal static class PipedRow
    {
        /// <summary>The value of the row's property, unwrapped; null when the row has no such property (or no row was piped).</summary>
        public static object? Value(PSObject? row, string property)
        {
            var value = row?.Properties[property]?.Value;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        /// <summary>Whether the row has the property with a value.</summary>
        public static bool Has(PSObject? row, string property) => Value(row, property) != null;
    }
}
