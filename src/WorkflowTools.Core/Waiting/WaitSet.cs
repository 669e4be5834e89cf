using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Http;

namespace WorkflowTools.Waiting
{
    /// <summary>What one poll of a group of ids found: the items read, and the ids that could not be read.</summary>
    internal sealed class PollResult<T>
    {
        public PollResult(IReadOnlyList<T> items, IReadOnlyList<KeyValuePair<long, ApiException>> failures)
        {
            Items = items;
            Failures = failures;
        }

        public IReadOnlyList<T> Items { get; }

        public IReadOnlyList<KeyValuePair<long, ApiException>> Failures { get; }
    }

    /// <summary>What one round found: items that reached a wanted state, items that ended otherwise, ids that failed.</summary>
    internal sealed class WaitRound<T>
    {
        public List<T> Finished { get; } = new List<T>();

        /// <summary>Items that ended in a final state the caller did not wait for: they can never reach one it waits for.</summary>
        public List<T> EndedOtherwise { get; } = new List<T>();

        public List<KeyValuePair<long, ApiException>> Failures { get; } = new List<KeyValuePair<long, ApiException>>();

        /// <summary>Requests this round sent.</summary>
        public int Requests { get; set; }
    }

    /// <summary>
    /// The ids still being waited for, grouped so that one request reads many of them: a group (a Next Matter
    /// workflow; ProcessMaker has one group) is polled in batches of <see cref="BatchSize"/> ids per request. An id
    /// whose group is not known yet (null) is polled by the group-less poll, whose items then tell their group.
    /// Knows nothing of PowerShell or time: the caller decides when to poll (see <see cref="WaitSchedule"/>).
    /// </summary>
    internal sealed class WaitSet<T>
    {
        private readonly Dictionary<long, long?> _pending = new Dictionary<long, long?>();
        private readonly List<long> _order = new List<long>();
        private readonly Func<long?, IReadOnlyList<long>, CancellationToken, Task<PollResult<T>>> _poll;
        private readonly Func<T, long> _idOf;
        private readonly Func<T, long?> _groupOf;
        private readonly Func<T, bool> _wanted;
        private readonly Func<T, bool> _final;

        /// <param name="poll">Reads the given ids of one group (null: group unknown), in as few requests as it can; ids it does not return count as still running unless it reports them as failures.</param>
        /// <param name="idOf">An item's id.</param>
        /// <param name="groupOf">An item's group (e.g. its workflow), null when it does not say.</param>
        /// <param name="wanted">Whether an item is in a state the caller waits for.</param>
        /// <param name="final">Whether an item's state can no longer change (a finished one that is not wanted ends the wait for it).</param>
        /// <param name="batchSize">How many ids one poll request may carry.</param>
        public WaitSet(
            Func<long?, IReadOnlyList<long>, CancellationToken, Task<PollResult<T>>> poll,
            Func<T, long> idOf,
            Func<T, long?> groupOf,
            Func<T, bool> wanted,
            Func<T, bool> final,
            int batchSize)
        {
            _poll = poll ?? throw new ArgumentNullException(nameof(poll));
            _idOf = idOf;
            _groupOf = groupOf;
            _wanted = wanted;
            _final = final;
            BatchSize = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize));
        }

        public int BatchSize { get; }

        /// <summary>How many ids were added (each once).</summary>
        public int Total => _order.Count;

        /// <summary>The ids still waited for, in the order they were added.</summary>
        public IReadOnlyList<long> Pending => _order.Where(_pending.ContainsKey).ToList();

        public int PendingCount => _pending.Count;

        /// <summary>Adds an id (once; a second add only fills in an unknown group).</summary>
        public bool Add(long id, long? group)
        {
            if (_pending.TryGetValue(id, out var known))
            {
                if (known == null && group != null)
                {
                    _pending[id] = group;
                }

                return false;
            }

            if (_order.Contains(id))
            {
                return false;
            }

            _pending[id] = group;
            _order.Add(id);
            return true;
        }

        /// <summary>The requests the next round will send: one per batch of each group, one per id without a group.</summary>
        public int NextRoundCost()
        {
            var cost = 0;
            foreach (var group in _pending.GroupBy(p => p.Value))
            {
                var count = group.Count();
                cost += group.Key == null ? count : (count + BatchSize - 1) / BatchSize;
            }

            return cost;
        }

        /// <summary>Polls every pending id once; finished ones leave the set and come back in the round.</summary>
        public async Task<WaitRound<T>> PollAsync(CancellationToken cancellationToken)
        {
            var round = new WaitRound<T>();
            var groups = _order.Where(_pending.ContainsKey).GroupBy(id => _pending[id]).ToList();
            foreach (var group in groups)
            {
                var ids = group.ToList();
                var size = group.Key == null ? ids.Count : BatchSize;
                for (var start = 0; start < ids.Count; start += size)
                {
                    var batch = ids.GetRange(start, Math.Min(size, ids.Count - start));
                    var result = await _poll(group.Key, batch, cancellationToken).ConfigureAwait(false);
                    round.Requests += group.Key == null ? batch.Count : 1;
                    Take(batch, result, round);
                }
            }

            return round;
        }

        private void Take(IReadOnlyList<long> asked, PollResult<T> result, WaitRound<T> round)
        {
            var askedSet = new HashSet<long>(asked);
            foreach (var item in result.Items)
            {
                var id = _idOf(item);
                if (!askedSet.Contains(id) || !_pending.ContainsKey(id))
                {
                    // A row that was not asked for (a server that ignores the id filter) is not this wait's.
                    continue;
                }

                if (_wanted(item))
                {
                    _pending.Remove(id);
                    round.Finished.Add(item);
                }
                else if (_final(item))
                {
                    _pending.Remove(id);
                    round.EndedOtherwise.Add(item);
                }
                else if (_groupOf(item) is long group && _pending[id] != group)
                {
                    // Its own answer names its group (a bare id, or one given with the wrong workflow).
                    _pending[id] = group;
                }
            }

            foreach (var failure in result.Failures)
            {
                if (askedSet.Contains(failure.Key) && _pending.Remove(failure.Key))
                {
                    round.Failures.Add(failure);
                }
            }
        }
    }
}
