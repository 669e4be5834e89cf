using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WorkflowTools.BuildTool;

/// <summary>The compiler's XML documentation files, looked up by member and turned into help paragraphs.</summary>
internal sealed class DocComments
{
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);

    /// <summary>Maps a class name to a cmdlet name, so <c>&lt;see cref="GetNmInstanceCommand"/&gt;</c> reads Get-NmInstance.</summary>
    public Dictionary<string, string> CmdletNames { get; } = new(StringComparer.Ordinal);

    public void Load(string file)
    {
        var doc = XDocument.Load(file);
        foreach (var member in doc.Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            if (name != null)
            {
                _members[name] = member;
            }
        }
    }

    public static string Id(Type type) => "T:" + TypeName(type);

    // A parameter declared in a generic base (ConnectedCmdlet<NmConnection>) is documented on the generic definition.
    public static string Id(PropertyInfo property) =>
        "P:" + TypeName(property.DeclaringType!.IsGenericType ? property.DeclaringType.GetGenericTypeDefinition() : property.DeclaringType) + "." + property.Name;

    private static string TypeName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    public XElement? Member(string id) => _members.TryGetValue(id, out var m) ? m : null;

    /// <summary>The paragraphs of one tag (summary, remarks, value) of a member; empty when absent.</summary>
    public List<string> Paragraphs(string id, string tag)
    {
        var element = Member(id)?.Element(tag);
        return element == null ? new List<string>() : ToParagraphs(element);
    }

    /// <summary>The cref targets of a member's &lt;seealso&gt; tags.</summary>
    public IEnumerable<string> SeeAlso(string id) =>
        Member(id)?.Elements("seealso").Select(e => Cref((string?)e.Attribute("cref") ?? string.Empty)).Where(s => s.Length > 0) ?? Enumerable.Empty<string>();

    private List<string> ToParagraphs(XElement element)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();

        void Flush()
        {
            var text = Regex.Replace(current.ToString(), @"[ \t\r\n]+", " ").Trim();
            if (text.Length > 0)
            {
                paragraphs.Add(text);
            }

            current.Clear();
        }

        void Walk(XNode node)
        {
            switch (node)
            {
                case XText text:
                    // A blank line inside a doc comment also starts a new paragraph.
                    var parts = Regex.Split(text.Value, @"\n[ \t]*\n");
                    for (var i = 0; i < parts.Length; i++)
                    {
                        if (i > 0)
                        {
                            Flush();
                        }

                        current.Append(parts[i]);
                    }

                    break;
                case XElement e when e.Name == "para" || e.Name == "code":
                    Flush();
                    foreach (var child in e.Nodes())
                    {
                        Walk(child);
                    }

                    Flush();
                    break;
                case XElement e when e.Name == "see" || e.Name == "seealso":
                    var cref = (string?)e.Attribute("cref");
                    var langword = (string?)e.Attribute("langword");
                    var href = (string?)e.Attribute("href");
                    current.Append(e.Value.Length > 0 ? e.Value : cref != null ? Cref(cref) : langword ?? href ?? string.Empty);
                    break;
                case XElement e when e.Name == "paramref" || e.Name == "typeparamref":
                    current.Append("-" + (string?)e.Attribute("name"));
                    break;
                case XElement e when e.Name == "item":
                    Flush();
                    current.Append("- ");
                    foreach (var child in e.Nodes())
                    {
                        Walk(child);
                    }

                    Flush();
                    break;
                case XElement e:
                    foreach (var child in e.Nodes())
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        foreach (var node in element.Nodes())
        {
            Walk(node);
        }

        Flush();
        return paragraphs;
    }

    /// <summary>A cref as a reader wants it: a cmdlet's name for a cmdlet class, else the member's short name.</summary>
    private string Cref(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref.Substring(2) : cref;
        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name.Substring(0, paren);
        }

        var shortName = name.Substring(name.LastIndexOf('.') + 1);
        return CmdletNames.TryGetValue(shortName, out var cmdlet) ? cmdlet : shortName;
    }
}
