using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.Http;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>
    /// Lets -Value be a SecureString or plain text: text becomes a SecureString at once, so the value travels as
    /// one from binding to the request body, and no message, trace or object holds it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class SecretValueTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case SecureString secure:
                    return secure;
                case string text:
                    var converted = new SecureString();
                    foreach (var c in text)
                    {
                        converted.AppendChar(c);
                    }

                    converted.MakeReadOnly();
                    return converted;
                default:
                    // The message names the type only: the value itself is never repeated.
                    throw new ArgumentTransformationMetadataException($"-Value takes a SecureString or a string, not a {value?.GetType().Name ?? "null"}.");
            }
        }
    }

    /// <summary>Base of the environment variable cmdlets: the client, and finding a variable by its name.</summary>
    public abstract class PmEnvironmentCmdlet : PmCmdlet
    {
        internal PmEnvironmentClient Variables => new PmEnvironmentClient(Api);

        /// <summary>What Set- and Remove- name in -WhatIf and in errors: the variable as given, by -Id or by -Name.</summary>
        private protected string Target(long id, string name) => ParameterSetName == "ById" ? $"environment variable {Text(id)}" : $"environment variable {name}";

        /// <summary>
        /// For Set- and Remove-, once ShouldProcess said yes: finds the variable (-Id, or -Name), runs
        /// <paramref name="change"/> on its id, says <paramref name="done"/> in -Verbose, and with -PassThru writes
        /// the variable <paramref name="change"/> returns. A failure is an error about the target.
        /// </summary>
        private protected void Change(long id, string name, Func<long, CancellationToken, Task<PmEnvironmentVariable>> change, Func<PmEnvironmentVariable, string> done, bool passThru)
        {
            var found = Resolve(ParameterSetName == "ById" ? id : 0, name);
            if (found == null)
            {
                return;
            }

            try
            {
                var changed = Run(ct => change(found.Value, ct));
                WriteVerbose(done(changed));
                if (passThru)
                {
                    WriteObject(changed);
                }
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, Target(id, name)));
            }
        }

        /// <summary>The variable's id from -Id, or found by -Name; null (and an error written) when there is none.</summary>
        private long? Resolve(long id, string? name)
        {
            if (id > 0)
            {
                return id;
            }

            try
            {
                var found = Run(ct => Variables.FindByNameAsync(name!, ct));
                if (found != null)
                {
                    return found.Id;
                }

                WriteError(new ErrorRecord(
                    new ApiException(ApiErrorKind.NotFound, $"ProcessMaker has no environment variable named '{name}'."),
                    "WorkflowTools.NotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
            }
            catch (ApiException ex)
            {
                WriteError(ErrorRecordFor(ex, name));
            }

            return null;
        }

        private protected static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
    }
}
