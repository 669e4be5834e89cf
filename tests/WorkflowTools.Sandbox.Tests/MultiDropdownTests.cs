using System.Threading.Tasks;
using Xunit;

namespace WorkflowTools.Sandbox.Tests;

/// <summary>
/// A multi-value dropdown takes <c>{"itemsSelected":[…]}</c>: Next Matter names <c>itemsSelected</c> among its data
/// references (help.nextmatter.com, "Data formats": "Multi-value dropdowns and checklists"), beside the single
/// dropdown's documented <c>itemSelected</c>.
/// </summary>
public sealed class MultiDropdownTests
{
    [Theory]
    [InlineData("{\"itemsSelected\":[\"Laptop\",\"Phone\"]}", 200)]
    [InlineData("{\"itemsSelected\":[]}", 200)]
    [InlineData("{\"inputValue\":{\"itemsSelected\":[\"Phone\"]}}", 200)]
    [InlineData("{\"itemsSelected\":[\"Fax\"]}", 400)]
    [InlineData("{\"itemsSelected\":\"Laptop\"}", 400)]
    [InlineData("{\"itemsSelected\":[1]}", 400)]
    [InlineData("{\"itemSelected\":\"Laptop\"}", 400)]
    public async Task Items_selected_must_be_a_list_of_its_options(string input, int status)
    {
        await using var s = await SandboxServer.StartAsync();
        s.NextMatter.AddProcess(8, "Equipment", new SandboxStep(81, "Details", new SandboxAction(810, "Devices", "multi_dropdown", Options: new[] { "Laptop", "Phone" })));
        var instance = s.NextMatter.AddInstance(8, "Kit");
        using var c = TestSupport.NmClient(s);
        var (answered, _, text) = await c.PostAsync2($"instances/{instance.Id}/complete_step/", "{\"step_id\":81,\"actions\":[{\"action_id\":810,\"input_object\":" + input + "}]}");
        Assert.True(answered == status, text);
        if (status == 400) Assert.Matches("itemsSelected|not a valid choice", text);
    }
}
