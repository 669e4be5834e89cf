using System;
using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Concurrency
{
    /// <summary>
    /// The creates of one command run (one <c>New-NmInstance</c> or <c>Start-PmRequest</c> pipeline, items sent in
    /// parallel): what each input sent and, once known, what it created. The check after a create whose outcome is
    /// unknown reads it, so that it never names an object another input of the same run accounts for: an object
    /// another input created is that input's, and an object that another input still in doubt (sent, no answer
    /// yet, or its own outcome unknown) may have created cannot be told apart from this call's.
    /// </summary>
    /// <typeparam name="TSent">What one input sent, as the check compares it with what it finds.</typeparam>
    internal sealed class CreateRun<TSent>
        where TSent : class
    {
        private readonly object _gate = new object();
        private readonly List<Entry> _entries = new List<Entry>();

        /// <summary>Records an input whose create is about to be sent.</summary>
        public Entry Begin(TSent sent)
        {
            var entry = new Entry(this, sent ?? throw new ArgumentNullException(nameof(sent)));
            lock (_gate)
            {
                _entries.Add(entry);
            }

            return entry;
        }

        /// <summary>Ids the other inputs of the run created (their answers named them).</summary>
        public HashSet<long> CreatedByOthers(Entry self)
        {
            lock (_gate)
            {
                return new HashSet<long>(_entries.Where(e => e != self && e.CreatedId.HasValue).Select(e => e.CreatedId!.Value));
            }
        }

        /// <summary>What the other inputs still in doubt sent: those sent and not answered yet, and those whose outcome is unknown.</summary>
        public IReadOnlyList<TSent> InDoubtOthers(Entry self)
        {
            lock (_gate)
            {
                return _entries.Where(e => e != self && !e.CreatedId.HasValue && !e.CertainlyNotCreated).Select(e => e.Sent).ToList();
            }
        }

        /// <summary>One input of the run.</summary>
        internal sealed class Entry
        {
            private readonly CreateRun<TSent> _run;

            internal Entry(CreateRun<TSent> run, TSent sent)
            {
                _run = run;
                Sent = sent;
            }

            public TSent Sent { get; }

            public CreateRun<TSent> Run => _run;

            /// <summary>The id the answer named, once there was one.</summary>
            public long? CreatedId { get; private set; }

            /// <summary>True once an answer said that nothing was created (a refusal, a validation error).</summary>
            public bool CertainlyNotCreated { get; private set; }

            public void Created(long id)
            {
                lock (_run._gate)
                {
                    CreatedId = id;
                }
            }

            public void NotCreated()
            {
                lock (_run._gate)
                {
                    CertainlyNotCreated = true;
                }
            }
        }
    }
}
