using System.Text;
using System.Xml;

namespace WorkflowTools.BuildTool;

/// <summary>Writes the help models as MAML, the format Get-Help reads for compiled cmdlets.</summary>
internal static class MamlWriter
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CmdletHelp> cmdlets, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var w = XmlWriter.Create(path, settings);
        w.WriteStartDocument();
        w.WriteStartElement("helpItems", "http://msh");
        w.WriteAttributeString("schema", "maml");
        foreach (var c in cmdlets)
        {
            WriteCommand(w, c);
        }

        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteCommand(XmlWriter w, CmdletHelp c)
    {
        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "command", null, Command);
        w.WriteAttributeString("xmlns", "dev", null, Dev);

        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, c.Name);
        w.WriteElementString("command", "verb", Command, c.Verb);
        w.WriteElementString("command", "noun", Command, c.Noun);
        Paras(w, "description", new[] { c.Synopsis });
        w.WriteEndElement();

        Paras(w, "description", c.Description);

        w.WriteStartElement("command", "syntax", Command);
        foreach (var item in c.Syntax)
        {
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, c.Name);
            foreach (var p in item.Parameters)
            {
                Parameter(w, p, inSyntax: true);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (var p in c.Parameters)
        {
            Parameter(w, p, inSyntax: false);
        }

        w.WriteEndElement();

        TypeList(w, "inputTypes", "inputType", c.Inputs);
        TypeList(w, "returnValues", "returnValue", c.Outputs);

        if (c.Notes.Count > 0)
        {
            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            foreach (var note in c.Notes)
            {
                w.WriteElementString("maml", "para", Maml, note);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("command", "examples", Command);
        var n = 0;
        foreach (var e in c.Examples)
        {
            n++;
            w.WriteStartElement("command", "example", Command);
            w.WriteElementString("maml", "title", Maml, $"--------- Example {n}: {e.Title} ---------");
            w.WriteElementString("dev", "code", Dev, e.Code);
            w.WriteStartElement("dev", "remarks", Dev);
            foreach (var para in e.Remarks)
            {
                w.WriteElementString("maml", "para", Maml, para);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (var link in c.RelatedLinks)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, link);
            w.WriteElementString("maml", "uri", Maml, string.Empty);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Parameter(XmlWriter w, ParameterHelp p, bool inSyntax)
    {
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.Required ? "true" : "false");
        w.WriteAttributeString("variableLength", p.Type.IsArray ? "true" : "false");
        w.WriteAttributeString("globbing", "false");
        w.WriteAttributeString("pipelineInput", p.PipelineInput);
        w.WriteAttributeString("position", p.Position);
        w.WriteAttributeString("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases));
        w.WriteElementString("maml", "name", Maml, p.Name);
        Paras(w, "description", p.Description);
        if (inSyntax && p.ValidValues.Count > 0)
        {
            w.WriteStartElement("command", "parameterValueGroup", Command);
            foreach (var v in p.ValidValues)
            {
                w.WriteStartElement("command", "parameterValue", Command);
                w.WriteAttributeString("required", "false");
                w.WriteAttributeString("command", "variableLength", Command, "false");
                w.WriteString(v);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }
        else if (!(inSyntax && p.IsSwitch))
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
            w.WriteAttributeString("variableLength", p.Type.IsArray ? "true" : "false");
            w.WriteString(CmdletReader.ShortName(p.Type));
            w.WriteEndElement();
        }

        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, CmdletReader.FullName(p.Type));
        w.WriteElementString("maml", "uri", Maml, string.Empty);
        w.WriteEndElement();
        w.WriteElementString("dev", "defaultValue", Dev, p.DefaultValue);
        w.WriteEndElement();
    }

    private static void TypeList(XmlWriter w, string list, string item, List<(string Type, string Description)> types)
    {
        w.WriteStartElement("command", list, Command);
        foreach (var (type, description) in types)
        {
            w.WriteStartElement("command", item, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, type);
            w.WriteEndElement();
            Paras(w, "description", new[] { description });
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void Paras(XmlWriter w, string element, IEnumerable<string> paragraphs)
    {
        w.WriteStartElement("maml", element, Maml);
        foreach (var para in paragraphs)
        {
            w.WriteElementString("maml", "para", Maml, para);
        }

        w.WriteEndElement();
    }
}
