using System;
using System.Management.Automation;
using WorkflowTools.Http;

namespace WorkflowTools.Cmdlets.Common
{
    /// <summary>
    /// Writes a streamed listing with the common paging parameters (-First, -Skip, -IncludeTotalCount)
    /// and a progress bar for listings that span several pages.
    /// </summary>
    internal sealed class PagedOutput
    {
        private readonly WorkflowCmdlet _cmdlet;
        private readonly string _activity;
        private readonly PagingParameters? _paging;
        private readonly int _activityId;
        private ulong _skipped;
        private ulong _written;
        private bool _totalWritten;
        private bool _progressShown;
        private long? _firstTotal;
        private bool _changeReported;

        public PagedOutput(WorkflowCmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
            _paging = cmdlet.PagingParameters;
            _activityId = Math.Abs(activity.GetHashCode() % 100000) + 1;
        }

        /// <summary>Called on the pipeline thread when the listing reaches a new page.</summary>
        public void OnPage(PageInfo info)
        {
            // Page-number paging over a set that changes (often because the same pipeline changes it) shifts rows
            // between pages: say so rather than let a report silently miss or repeat rows.
            if (info.PageNumber == 1)
            {
                _firstTotal = info.Total;
            }
            else if (!_changeReported && _firstTotal is long before && info.Total is long now && now != before)
            {
                _changeReported = true;
                _cmdlet.WriteWarning($"The listing changed while it was read ({before} items at first, {now} at page {info.PageNumber}); items may have been skipped or repeated. If the pipeline changes what the listing filters on, collect the listing first: $items = @(<listing>); $items | <change>.");
            }

            if (_paging != null && _paging.IncludeTotalCount && !_totalWritten)
            {
                _totalWritten = true;
                _cmdlet.WriteObject(info.Total is long total
                    ? _paging.NewTotalCount((ulong)total, 1.0)
                    : _paging.NewTotalCount(0, 0.0));
            }

            if (info.PageNumber >= 2 || (info.Total is long t && t > info.ItemsSoFar))
            {
                _progressShown = true;
                var record = new ProgressRecord(_activityId, _activity, info.Total is long all
                    ? $"{info.ItemsSoFar} of {all} read (page {info.PageNumber})"
                    : $"{info.ItemsSoFar} read (page {info.PageNumber})");
                if (info.Total is long count && count > 0)
                {
                    record.PercentComplete = (int)Math.Min(100, info.ItemsSoFar * 100L / count);
                }

                _cmdlet.WriteProgress(record);
            }
        }

        /// <summary>Called once for an answer that is not paged: its item count is the whole total.</summary>
        public void OnAnswer(int count)
        {
            if (_paging != null && _paging.IncludeTotalCount && !_totalWritten)
            {
                _totalWritten = true;
                _cmdlet.WriteObject(_paging.NewTotalCount((ulong)count, 1.0));
            }
        }

        /// <summary>Writes one item (or skips it); false once -First is satisfied, which stops the paging.</summary>
        public bool Offer(object? item)
        {
            if (_paging != null && _skipped < _paging.Skip)
            {
                _skipped++;
                return true;
            }

            if (_paging != null && _written >= _paging.First)
            {
                return false;
            }

            _cmdlet.WriteObject(item);
            _written++;
            return _paging == null || _written < _paging.First;
        }

        public void Complete()
        {
            if (_progressShown)
            {
                _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
