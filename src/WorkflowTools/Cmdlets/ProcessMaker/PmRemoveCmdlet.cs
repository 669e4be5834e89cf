using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Cmdlets.Common;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>
    /// What Remove-PmUser and Remove-PmGroup share: ShouldProcess for each id (-Force skips the question, not
    /// -WhatIf), ids given as arguments deleted at once, piped ones collected and deleted once the input has ended
    /// (deleting takes them out of the listing being read upstream), and with -PassThru the object as read just
    /// before the delete. The parameters stay on each cmdlet, with their own help.
    /// </summary>
    /// <typeparam name="T">What is deleted (a user, a group), as read for -PassThru.</typeparam>
    public abstract class PmRemoveCmdlet<T> : PmThrottledCmdlet
        where T : class
    {
        /// <summary>The ids of this pipeline item (or of the arguments).</summary>
        private protected abstract long[] Ids { get; }

        /// <summary>Whether -Force was given.</summary>
        private protected abstract bool Forcing { get; }

        /// <summary>Whether -PassThru was given.</summary>
        private protected abstract bool PassingThru { get; }

        /// <summary>What is deleted, in lower case: "user", "group".</summary>
        private protected abstract string Noun { get; }

        /// <summary>The ShouldProcess action, which says whether the delete can be undone.</summary>
        private protected abstract string DeleteAction { get; }

        /// <summary>Reads the object as it is before the delete (for -PassThru).</summary>
        private protected abstract Task<T> ReadAsync(long id, CancellationToken cancellationToken);

        /// <summary>Sends the delete.</summary>
        private protected abstract Task DeleteAsync(long id, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            foreach (var id in Ids)
            {
                if (!Forced.ShouldProcess(this, Forcing, $"{Noun} {id.ToString(CultureInfo.InvariantCulture)}", DeleteAction))
                {
                    continue;
                }

                NowOrAfterInput(() => Delete(id));
            }
        }

        private void Delete(long id)
        {
            var passThru = PassingThru;
            var done = $"{char.ToUpperInvariant(Noun[0])}{Noun.Substring(1)} {id.ToString(CultureInfo.InvariantCulture)} deleted.";
            Enqueue(
                id,
                async ct =>
                {
                    var before = passThru ? await ReadAsync(id, ct).ConfigureAwait(false) : null;
                    await DeleteAsync(id, ct).ConfigureAwait(false);
                    return before;
                },
                deleted =>
                {
                    WriteVerbose(done);
                    if (deleted != null)
                    {
                        WriteObject(deleted);
                    }
                },
                ex => WriteError(ErrorRecordFor(ex, id)));
        }
    }
}
