using WorkflowTools.ProcessMaker;

namespace WorkflowTools.UnitTests.ProcessMaker
{
    /// <summary>A file name a server sends is only a name: Save-PmRequestFile never writes outside its folder.</summary>
    public class SafeFileNameTests
    {
        [Theory]
        [InlineData("report.pdf", "report.pdf")]
        [InlineData("../../etc/passwd", "passwd")]
        [InlineData("..\\..\\Windows\\win.ini", "win.ini")]
        [InlineData("/abs/path/x.txt", "x.txt")]
        [InlineData("C:\\Users\\a\\b.doc", "b.doc")]
        [InlineData("..", "file-7")]
        [InlineData("...", "file-7")]
        [InlineData("", "file-7")]
        [InlineData(null, "file-7")]
        [InlineData("a:b*c?.txt", "a_b_c_.txt")]
        [InlineData("name.\u0001.txt", "name._.txt")]
        [InlineData("trailing. ", "trailing")]
        public void Keeps_one_plain_name(string? server, string expected)
        {
            Assert.Equal(expected, SafeFileName.From(server, "file-7"));
        }

        [Fact]
        public void Cuts_a_very_long_name()
        {
            Assert.Equal(200, SafeFileName.From(new string('x', 5000), "f").Length);
        }
    }
}
