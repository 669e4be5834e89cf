using System.Collections.Generic;

namespace WorkflowTools.Cmdlets.NextMatter
{
    /// <summary>The one check of tags given to a Next Matter cmdlet.</summary>
    internal static class NmTags
    {
        /// <summary>
        /// The first tag that cannot be sent and why, or (null, null). Every tag needs text; in a listing filter the
        /// tags travel comma-separated (<c>tags=a,b</c>), so there a tag may not contain a comma either.
        /// </summary>
        public static (string? Problem, string? Tag) Check(IEnumerable<string>? tags, bool inFilter)
        {
            foreach (var tag in tags ?? System.Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(tag) || (inFilter && tag.IndexOf(',') >= 0))
                {
                    return (inFilter ? "A -Tag value is empty or contains a comma; Next Matter separates tags with commas." : "A tag is empty; every tag needs text.", tag);
                }
            }

            return (null, null);
        }
    }
}
