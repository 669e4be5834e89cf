using System.IO;
using System.Runtime.InteropServices;
using WorkflowTools.Testing;

namespace WorkflowTools.UnitTests
{
    /// <summary>How Start-WorkflowToolsSandbox finds the sandbox, and what it says when it cannot.</summary>
    public sealed class SandboxLocatorTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "wt-locator-" + Guid.NewGuid().ToString("N"));

        public SandboxLocatorTests()
        {
            Directory.CreateDirectory(Path.Combine(_dir, "bin"));
            Directory.CreateDirectory(Path.Combine(_dir, "tools"));
            Directory.CreateDirectory(Path.Combine(_dir, "Sandbox"));
        }

        public void Dispose() => Directory.Delete(_dir, true);

        private static bool Unix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private string FakeDotnet(string listing)
        {
            var path = Path.Combine(_dir, "bin", "dotnet");
            File.WriteAllText(path, "#!/bin/sh\nprintf '" + listing.Replace("\n", "\\n") + "'\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return path;
        }

        private void ModuleCopy() => File.WriteAllText(Path.Combine(_dir, "Sandbox", SandboxLocator.ModuleCopy), "");

        [Fact]
        public void With_nothing_installed_it_says_to_install_the_tool()
        {
            var e = Assert.Throws<SandboxUnavailableException>(() => SandboxLocator.Find(Path.Combine(_dir, "Sandbox"), "", Path.Combine(_dir, "tools"), Array.Empty<string>()));
            Assert.Contains("dotnet tool install --global WorkflowTools.Sandbox", e.Message);
            Assert.Contains("no dotnet host was found", e.Message);
        }

        [Fact]
        public void With_the_module_copy_but_no_runtime_it_names_the_runtime_to_install()
        {
            ModuleCopy();
            var e = Assert.Throws<SandboxUnavailableException>(() => SandboxLocator.Find(Path.Combine(_dir, "Sandbox"), "", Path.Combine(_dir, "tools"), Array.Empty<string>()));
            Assert.Contains("ASP.NET Core Runtime 10.0 or later", e.Message);
            Assert.Contains("https://dotnet.microsoft.com/download/dotnet/10.0", e.Message);
            Assert.Contains(RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "winget install" : "install aspnetcore-runtime-10.0", e.Message);
        }

        [Fact]
        public void An_older_aspnetcore_is_not_enough_and_the_message_says_which_was_found()
        {
            if (!Unix)
            {
                return; // the fake host is a shell script
            }

            ModuleCopy();
            var dotnet = FakeDotnet("Microsoft.NETCore.App 10.0.1 [/x]\nMicrosoft.AspNetCore.App 8.0.11 [/x]\n");
            var e = Assert.Throws<SandboxUnavailableException>(() => SandboxLocator.Find(Path.Combine(_dir, "Sandbox"), "", Path.Combine(_dir, "tools"), new[] { dotnet }));
            Assert.Contains("lists ASP.NET Core 8.0.11 only", e.Message);
        }

        [Fact]
        public void A_dotnet_with_aspnetcore_10_or_later_runs_the_module_copy()
        {
            if (!Unix)
            {
                return;
            }

            ModuleCopy();
            var dotnet = FakeDotnet("Microsoft.AspNetCore.App 11.0.0 [/x]\n");
            var program = SandboxLocator.Find(Path.Combine(_dir, "Sandbox"), Path.Combine(_dir, "bin"), Path.Combine(_dir, "tools"), new[] { "dotnet" });
            Assert.Equal("module", program.StartedFrom);
            Assert.Equal(dotnet, program.FileName);
            Assert.Equal(Path.Combine(_dir, "Sandbox", SandboxLocator.ModuleCopy), Assert.Single(program.Prefix));
        }

        [Fact]
        public void The_installed_tool_wins_on_path_and_in_the_global_tools_folder()
        {
            var name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "workflowtools-sandbox.exe" : "workflowtools-sandbox";
            ModuleCopy();
            File.WriteAllText(Path.Combine(_dir, "tools", name), "");
            var fromTools = SandboxLocator.Find(Path.Combine(_dir, "Sandbox"), "", Path.Combine(_dir, "tools"), Array.Empty<string>());
            Assert.Equal(("tool", Path.Combine(_dir, "tools", name)), (fromTools.StartedFrom, fromTools.FileName));
            Assert.Empty(fromTools.Prefix);

            File.WriteAllText(Path.Combine(_dir, "bin", name), "");
            var fromPath = SandboxLocator.Find(null, Path.Combine(_dir, "nowhere") + Path.PathSeparator + Path.Combine(_dir, "bin"), Path.Combine(_dir, "tools"), Array.Empty<string>());
            Assert.Equal(Path.Combine(_dir, "bin", name), fromPath.FileName);
        }

        [Theory]
        [InlineData(new[] { "--seed", "a b.json" }, "--seed \"a b.json\"")]
        [InlineData(new[] { "--fault", "status=429,times=3" }, "--fault status=429,times=3")]
        [InlineData(new[] { "say \"hi\"" }, "\"say \\\"hi\\\"\"")]
        [InlineData(new[] { "C:\\with space\\" }, "\"C:\\with space\\\\\"")]
        [InlineData(new[] { "" }, "\"\"")]
        public void Arguments_are_quoted_so_they_split_back_the_same(string[] args, string expected) => Assert.Equal(expected, SandboxProcess.CommandLine(args));

        [Fact]
        public void Start_options_become_the_sandbox_switches()
        {
            var o = new SandboxStartOptions { SeedPath = "/s.json", NoDemoData = true, RateLimitPerMinute = 100, Latency = TimeSpan.FromMilliseconds(25), FrozenClock = true, ClockStart = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero) };
            o.Faults.Add("status=429");
            Assert.Equal(new[] { "--seed", "/s.json", "--no-seed", "--fault", "status=429", "--rate-limit", "100", "--latency", "25ms", "--frozen-clock", "--clock-start", "2026-01-05T09:00:00Z" }, o.Arguments());
        }
    }
}
