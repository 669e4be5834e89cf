using System.Text;

namespace WorkflowTools.Tests.NextMatter
{
    /// <summary>
    /// Every Next Matter output type, taken from real cmdlet output, through ConvertTo-Csv (which writes each
    /// property value's ToString(), as Export-Csv does): every cell must be data, never a .NET type name.
    /// </summary>
    public class NmCsvTests : IClassFixture<SandboxFixture>
    {
        private static readonly string[] ExpectedTypes =
        {
            "WorkflowTools.NextMatter.NmInstance",
            "WorkflowTools.NextMatter.NmStepCompletion",
            "WorkflowTools.NextMatter.NmProcess",
            "WorkflowTools.NextMatter.NmStep",
            "WorkflowTools.NextMatter.NmStepAction",
            "WorkflowTools.NextMatter.NmFieldValue",
            "WorkflowTools.NextMatter.NmBulkResult",
            "WorkflowTools.Connections.NmConnection",
            "System.Management.Automation.PSCustomObject",
        };

        private readonly SandboxFixture _f;

        public NmCsvTests(SandboxFixture fixture)
        {
            _f = fixture;
        }

        private PsSession S => _f.Session;

        [Fact]
        public void Every_output_type_becomes_meaningful_csv_cells()
        {
            var script = @"
                $deadline = [datetime]::new(2026, 6, 30, 17, 0, 0, [DateTimeKind]::Utc)
                $new = New-NmInstance -ProcessId 1 -Name 'Csv export' -Tag a,b -Priority High -Deadline $deadline
                $done = $new | Complete-NmStep -Value @{ 123456 = 'Ada'; 789012 = @{ itemSelected = 'IT' } }
                Complete-NmStep $new.Id 43 -Value @{ 555001 = @{ inputValue = @{ radioItemSelected = 'Approve' } } } | Out-Null
                Complete-NmStep $new.Id 44 -Value @{ 555002 = @{ inputValue = @{ itemsChecked = @('Laptop', 'Phone') } }; 555003 = $deadline } | Out-Null
                $spare = New-NmInstance -ProcessId 2
                $objects = @(
                    $new
                    Get-NmInstance -Id $new.Id -IncludeValues
                    Get-NmInstance -ProcessId 1 -Status Completed -First 3 -IncludeValues
                    Get-NmInstance -ProcessId 1 -Status Running -First 3
                    $done
                    Get-NmProcess 1
                    Get-NmProcess 1 -Step
                    Get-NmProcess 1 -Action
                    Get-NmFieldValue 1 44 555002 -InstanceId $new.Id, 1001
                    Get-NmFieldValue 1 44 555003 -InstanceId $new.Id
                    Get-NmFieldValue 1 42 789012 -First 3
                    $spare | Stop-NmInstance -PassThru
                    Get-NmConnection
                    Invoke-NmApi ""instances/$($new.Id)/"" -Query @{ inject_values = $true }
                )
                foreach ($group in $objects | Group-Object { $_.PSObject.TypeNames[0] }) {
                    [pscustomobject]@{ Type = $group.Name; Csv = ($group.Group | ConvertTo-Csv -NoTypeInformation) -join ""`n"" }
                }";
            var groups = S.Run(script).ThrowIfFailed().Output.ToDictionary(o => o.P<string>("Type"), o => Csv.Parse(o.P<string>("Csv")));
            Assert.Equal(ExpectedTypes.OrderBy(t => t), groups.Keys.OrderBy(t => t));

            foreach (var (type, table) in groups)
            {
                Assert.True(table.Count >= 2, $"{type}: no rows");
                foreach (var row in table.Skip(1))
                {
                    Assert.Equal(table[0].Count, row.Count);
                    for (var i = 0; i < row.Count; i++)
                    {
                        var cell = row[i];
                        Assert.False(cell.Contains("System.", StringComparison.Ordinal), $"{type}.{table[0][i]} is '{cell}'");
                        Assert.False(cell.Contains("WorkflowTools.", StringComparison.Ordinal), $"{type}.{table[0][i]} is '{cell}'");
                    }
                }
            }

            var instances = groups["WorkflowTools.NextMatter.NmInstance"];
            string Cell(List<string> row, string column) => row[instances[0].IndexOf(column)];
            var created = instances[1];
            Assert.Equal("a;b", Cell(created, "Tags"));
            Assert.Equal("High", Cell(created, "Priority"));
            Assert.Equal("Running", Cell(created, "Status"));
            Assert.Equal("1", Cell(created, "ProcessId"));
            Assert.Equal("42", Cell(created, "ActiveStepIds"));
            var withValues = instances[2];
            Assert.Equal("a;b", Cell(withValues, "Tags"));
            Assert.Contains("\"123456\":\"Ada\"", Cell(withValues, "Values"));
            Assert.Contains("\"555002\":[\"Laptop\",\"Phone\"]", Cell(withValues, "Values"));
            Assert.Contains("\"555003\":\"2026-06-30T17:00:00.000Z\"", Cell(withValues, "Values"));
            Assert.All(instances.Skip(1), r => Assert.NotEqual(string.Empty, Cell(r, "TotalRuntime")));

            var process = groups["WorkflowTools.NextMatter.NmProcess"];
            Assert.Equal("42 Personal details;43 Manager approval;44 Equipment", process[1][process[0].IndexOf("Steps")]);
            var actions = groups["WorkflowTools.NextMatter.NmStepAction"];
            Assert.Contains(actions.Skip(1), r => r[actions[0].IndexOf("Options")] == "Value 2;Sales;IT");
            var values = groups["WorkflowTools.NextMatter.NmFieldValue"];
            Assert.Contains(values.Skip(1), r => r[values[0].IndexOf("Value")] == "Laptop;Phone");
            var api = groups["System.Management.Automation.PSCustomObject"];
            Assert.Equal("a;b", api[1][api[0].IndexOf("tags")]);
            Assert.StartsWith("{", api[1][api[0].IndexOf("process_snapshot")]);
        }

        /// <summary>A small RFC 4180 reader for what ConvertTo-Csv writes.</summary>
        private static class Csv
        {
            public static List<List<string>> Parse(string text)
            {
                var rows = new List<List<string>>();
                var row = new List<string>();
                var cell = new StringBuilder();
                var quoted = false;
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (quoted)
                    {
                        if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i++;
                        }
                        else if (c == '"')
                        {
                            quoted = false;
                        }
                        else
                        {
                            cell.Append(c);
                        }
                    }
                    else if (c == '"')
                    {
                        quoted = true;
                    }
                    else if (c == ',')
                    {
                        row.Add(cell.ToString());
                        cell.Clear();
                    }
                    else if (c == '\n')
                    {
                        row.Add(cell.ToString());
                        cell.Clear();
                        rows.Add(row);
                        row = new List<string>();
                    }
                    else if (c != '\r')
                    {
                        cell.Append(c);
                    }
                }

                row.Add(cell.ToString());
                rows.Add(row);
                return rows;
            }
        }
    }
}
