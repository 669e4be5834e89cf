using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WorkflowTools.Models
{
    /// <summary>
    /// A read-only list (tags, step ids) whose text form is <c>a;b</c>, so a CSV cell written by
    /// <c>Export-Csv</c> holds the values instead of <c>System.String[]</c>.
    /// </summary>
    public sealed class ValueList<T> : IReadOnlyList<T>
    {
        private readonly T[] _items;

        public ValueList(IEnumerable<T>? items)
        {
            _items = items?.ToArray() ?? Array.Empty<T>();
        }

        private ValueList(T[] owned, bool _)
        {
            _items = owned;
        }

        public static ValueList<T> Empty { get; } = new ValueList<T>(null);

        /// <summary>Wraps an array nobody else holds, without copying it (the readers build one per row).</summary>
        internal static ValueList<T> Own(T[] items) => items.Length == 0 ? Empty : new ValueList<T>(items, true);

        public int Count => _items.Length;

        public T this[int index] => _items[index];

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

        public T[] ToArray() => (T[])_items.Clone();

        public override string ToString() => string.Join(";", _items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)));
    }
}
