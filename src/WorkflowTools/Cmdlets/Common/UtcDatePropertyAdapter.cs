using System;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// A <c>[datetime]</c> that PowerShell treats as the date it wraps (comparisons, arithmetic, methods,
    /// <c>-is [datetime]</c>, ConvertTo-Json, Export-Clixml and the console all see the DateTime), and whose
    /// <c>ToString()</c> is ISO 8601 in UTC with a <c>Z</c>. That text is what Export-Csv and ConvertTo-Csv write
    /// into a cell (they call <c>ToString()</c> on each property value), so a CSV says which zone its times are in
    /// and sorts in time order as text. A subclass of PSObject, because a wrapper that PowerShell unwraps is the
    /// only value that stays a DateTime in the shell and still chooses its own CSV text.
    /// </summary>
    public sealed class UtcDateTimeText : PSObject
    {
        /// <summary>Seconds are enough for workflow times; the object keeps every tick.</summary>
        internal const string SecondsFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

        /// <summary>The sandbox's request log, where retries a fraction of a second apart must stay apart.</summary>
        internal const string MillisecondsFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

        private readonly string _format;

        private UtcDateTimeText(DateTime value, string format)
            : base(value)
        {
            _format = format;
        }

        /// <summary>The module's times are UTC: a local one is converted, one without a kind is read as UTC.</summary>
        internal static DateTime AsUtc(DateTime value) =>
            value.Kind == DateTimeKind.Local ? value.ToUniversalTime()
            : value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc)
            : value;

        internal static object? Wrap(object? value, string format = SecondsFormat) =>
            value is DateTime date ? new UtcDateTimeText(AsUtc(date), format) : value;

        public override string ToString() => ((DateTime)BaseObject).ToString(_format, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The property adapter of the output types that carry dates (registered for each when the module is
    /// imported, see <see cref="Register"/>): the model's public properties, in the order and with the types the
    /// .NET adapter shows them, except that a DateTime value comes out as <see cref="UtcDateTimeText"/>. Methods stay with the .NET adapter. Setting a
    /// property converts as PowerShell does (<c>$x.Deadline = '2026-12-24'</c>); a date set as local time is stored
    /// in UTC, as the models keep every time.
    /// </summary>
    public sealed class UtcDatePropertyAdapter : PSPropertyAdapter
    {
        /// <summary>
        /// Every output type with a date: the module's own types that its cmdlets declare in <c>[OutputType]</c> and
        /// that have a DateTime property, or an object one that may hold a date (<c>NmFieldValue.Value</c>). Derived
        /// from the cmdlets, so a new output type is adapted as soon as its cmdlet declares it; CsvRoundTrip.Tests.ps1
        /// writes a sample of every output type to CSV and checks its dates.
        /// </summary>
        internal static readonly Type[] AdaptedTypes = DatedOutputTypes(typeof(UtcDatePropertyAdapter).Assembly);

        internal static Type[] DatedOutputTypes(Assembly cmdlets) =>
            cmdlets.GetExportedTypes()
                .Where(t => !t.IsAbstract && t.IsDefined(typeof(CmdletAttribute), inherit: false))
                .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>(inherit: true))
                .SelectMany(a => a.Type)
                .Select(name => name.Type)
                .Where(t => t != null && t.Namespace != null && t.Namespace.StartsWith("WorkflowTools.", StringComparison.Ordinal) && HasDate(t))
                .Distinct()
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .ToArray();

        private static bool HasDate(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Any(p => p.PropertyType == typeof(DateTime) || p.PropertyType == typeof(DateTime?) || p.PropertyType == typeof(object));

        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Declared = new ConcurrentDictionary<Type, PropertyInfo[]>();

        private static PropertyInfo[] PropertiesOf(Type type) =>
            Declared.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod != null && p.GetMethod.IsPublic)
                .ToArray());

        /// <summary>
        /// Adds the adapter to the session's type data. A types.ps1xml file cannot name it: PowerShell resolves an
        /// adapted type by name while it reads the file, before the module's import has made the core's types
        /// findable by name (TypeNames). Called from the module's OnImport, in the importing runspace; if that
        /// fails the objects are unchanged and their dates are plain [datetime]s.
        /// </summary>
        internal static void Register()
        {
            // Not on Windows PowerShell 5.1 (.NET Framework): its ConvertTo-Json writes a date wrapped in a
            // PSObject as an object ({value, DateTime}) where PowerShell 7 writes the date, and nothing here can
            // run 5.1 to show otherwise, so 5.1 keeps the plain DateTime and its culture's text in a CSV cell.
            if (Runspace.DefaultRunspace == null || IsWindowsPowerShell)
            {
                return;
            }

            try
            {
                var data = AdaptedTypes.Select(t => new TypeData(t) { TypeAdapter = typeof(UtcDatePropertyAdapter) }).ToArray();
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    // The importing script's -WhatIf / -Confirm / -Verbose reach this command through the caller's
                    // preference variables: turned off here, so an import is silent and never skipped or prompted.
                    ps.AddCommand("Microsoft.PowerShell.Utility\\Update-TypeData").AddParameter("TypeData", data).AddParameter("Force")
                        .AddParameter("WhatIf", false).AddParameter("Confirm", false).AddParameter("Verbose", false);
                    ps.Invoke();
                }
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is RuntimeException || ex is InvalidOperationException)
            {
                // An import where no command can run (a runspace still opening): nothing to adapt there.
            }
        }

        private static bool IsWindowsPowerShell =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public override Collection<PSAdaptedProperty> GetProperties(object baseObject) =>
            new Collection<PSAdaptedProperty>(PropertiesOf(baseObject.GetType()).Select(p => new PSAdaptedProperty(p.Name, p)).ToList());

        public override PSAdaptedProperty? GetProperty(object baseObject, string propertyName)
        {
            foreach (var property in PropertiesOf(baseObject.GetType()))
            {
                if (string.Equals(property.Name, propertyName, StringComparison.OrdinalIgnoreCase))
                {
                    return new PSAdaptedProperty(property.Name, property);
                }
            }

            return null;
        }

        public override bool IsGettable(PSAdaptedProperty adaptedProperty) => true;

        public override bool IsSettable(PSAdaptedProperty adaptedProperty) =>
            ((PropertyInfo)adaptedProperty.Tag).SetMethod is MethodInfo setter && setter.IsPublic;

        public override object? GetPropertyValue(PSAdaptedProperty adaptedProperty)
        {
            var property = (PropertyInfo)adaptedProperty.Tag;
            var value = property.GetValue(adaptedProperty.BaseObject);
            return UtcDateTimeText.Wrap(value, IsRequestLogTime(property) ? UtcDateTimeText.MillisecondsFormat : UtcDateTimeText.SecondsFormat);
        }

        public override void SetPropertyValue(PSAdaptedProperty adaptedProperty, object? value)
        {
            var property = (PropertyInfo)adaptedProperty.Tag;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            var converted = value == null ? null : LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);
            property.SetValue(adaptedProperty.BaseObject, converted is DateTime date ? UtcDateTimeText.AsUtc(date) : converted);
        }

        /// <summary>The type as Get-Member shows a .NET property's: <c>System.Nullable[System.DateTime]</c>.</summary>
        public override string GetPropertyTypeName(PSAdaptedProperty adaptedProperty)
        {
            var type = ((PropertyInfo)adaptedProperty.Tag).PropertyType;
            return Nullable.GetUnderlyingType(type) is Type inner ? $"System.Nullable[{inner.FullName}]" : type.FullName ?? type.Name;
        }

        private static bool IsRequestLogTime(PropertyInfo property) =>
            property.Name == nameof(Testing.SandboxRequest.Time) && property.DeclaringType == typeof(global::WorkflowTools.Testing.SandboxRequest);
    }
}
