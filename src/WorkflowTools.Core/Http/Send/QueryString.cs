using System;
using System.Collections.Generic;
using System.Text;

namespace WorkflowTools.Http
{
    /// <summary>Builds a query string in the order parameters are added, percent-encoded.</summary>
    internal sealed class QueryString
    {
        private readonly List<KeyValuePair<string, string>> _pairs = new List<KeyValuePair<string, string>>();

        public int Count => _pairs.Count;

        public QueryString Add(string name, string? value)
        {
            if (value != null)
            {
                _pairs.Add(new KeyValuePair<string, string>(name, value));
            }

            return this;
        }

        public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

        public override string ToString()
        {
            if (_pairs.Count == 0)
            {
                return string.Empty;
            }

            var text = new StringBuilder("?");
            foreach (var pair in _pairs)
            {
                if (text.Length > 1)
                {
                    text.Append('&');
                }

                text.Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
            }

            return text.ToString();
        }
    }
}
