using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WorkflowTools.Connections;
using WorkflowTools.Http;
using WorkflowTools.Sandbox;

namespace WorkflowTools.UnitTests
{
    /// <summary>
    /// Connect-NmService -ShareBudget: processes that use one key against one service take their slots from one file,
    /// so together they keep the limits. Separate ledger objects on one file stand for separate processes (the file
    /// lock is the same either way).
    /// </summary>
    public class SharedPaceLedgerTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "wt-ledger-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, true);
            }
        }

        private static int MostInAnyWindow(IReadOnlyList<DateTime> slots, TimeSpan window)
        {
            var sorted = slots.OrderBy(s => s).ToList();
            var most = 0;
            for (int i = 0, j = 0; i < sorted.Count; i++)
            {
                while (sorted[i] - sorted[j] >= window)
                {
                    j++;
                }

                most = Math.Max(most, i - j + 1);
            }

            return most;
        }

        [Fact]
        public void Two_jobs_with_one_key_keep_one_minute_and_hour_limit_between_them()
        {
            var now = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
            var path = SharedPaceLedger.PathFor(new Uri("https://core.nextmatter.com/api/"), "prefix.secret", _folder);
            var first = new SharedPaceLedger(path, 100, 2950, () => now);
            var second = new SharedPaceLedger(path, 100, 2950, () => now);
            var slots = new List<DateTime>();
            for (var i = 0; i < 200; i++)
            {
                // Each job's own pacer would let it go at once: alone, each would send 100 in the first minute.
                slots.Add(first.Take(now));
                slots.Add(second.Take(now));
            }

            Assert.True(MostInAnyWindow(slots, TimeSpan.FromMinutes(1)) <= 100);
            Assert.Equal(100, slots.Count(s => s < now + TimeSpan.FromMinutes(1)));
            Assert.Equal(400, File.ReadAllLines(path).Length);
        }

        [Fact]
        public void The_hour_limit_holds_across_jobs_too()
        {
            var now = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
            var path = SharedPaceLedger.PathFor(new Uri("https://core.nextmatter.com/api/"), "k", _folder);
            var jobs = new[] { new SharedPaceLedger(path, 100, 300, () => now), new SharedPaceLedger(path, 100, 300, () => now) };
            var slots = Enumerable.Range(0, 700).Select(i => jobs[i % 2].Take(now)).ToList();
            Assert.True(MostInAnyWindow(slots, TimeSpan.FromHours(1)) <= 300);
            Assert.True(MostInAnyWindow(slots, TimeSpan.FromMinutes(1)) <= 100);
        }

        [Fact]
        public void Concurrent_jobs_take_their_turns_at_the_file()
        {
            var path = SharedPaceLedger.PathFor(new Uri("https://core.nextmatter.com/api/"), "k", _folder);
            var start = DateTime.UtcNow;
            var all = new System.Collections.Concurrent.ConcurrentBag<DateTime>();
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            {
                var job = new SharedPaceLedger(path, 60, 0);
                for (var i = 0; i < 40; i++)
                {
                    all.Add(job.Take(start));
                }
            });

            Assert.Equal(160, all.Count);
            Assert.True(MostInAnyWindow(all.ToList(), TimeSpan.FromMinutes(1)) <= 60);
            Assert.Equal(160, File.ReadAllLines(path).Length);
        }

        [Fact]
        public void The_file_is_named_by_a_hash_of_service_and_key_and_holds_only_times()
        {
            var a = SharedPaceLedger.PathFor(new Uri("https://core.nextmatter.com/api/"), "prefix.secret", _folder);
            Assert.Equal(a, SharedPaceLedger.PathFor(new Uri("https://CORE.nextmatter.com/api/other/"), "prefix.secret", _folder));
            Assert.NotEqual(a, SharedPaceLedger.PathFor(new Uri("https://core.nextmatter.com/api/"), "prefix.other", _folder));
            Assert.NotEqual(a, SharedPaceLedger.PathFor(new Uri("https://eu.nextmatter.com/api/"), "prefix.secret", _folder));
            Assert.DoesNotContain("secret", a);
            Assert.DoesNotContain("prefix", Path.GetFileName(a));

            new SharedPaceLedger(a, 100, 0).Take(DateTime.UtcNow);
            Assert.Matches("^[0-9]+\n$", File.ReadAllText(a));
        }

        [Fact]
        public async Task Connections_with_ShareBudget_record_their_requests_in_one_ledger()
        {
            await using var sandbox = await SandboxServer.StartAsync();
            ConnectionSettings Settings(bool share) => new ConnectionSettings { RequestsPerMinute = 100, RequestsPerHour = 2950, ShareBudget = share, SharedBudgetFolder = _folder };
            using var first = NmConnection.Create(sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(sandbox.NextMatterApiKey), Settings(true));
            using var second = NmConnection.Create(sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(sandbox.NextMatterApiKey), Settings(true));
            using var alone = NmConnection.Create(sandbox.NextMatterBaseUri, SecretAuthorization.FromPlainText(sandbox.NextMatterApiKey), Settings(false));
            for (var i = 0; i < 3; i++)
            {
                await first.Client.GetInstanceAsync(1001, false, CancellationToken.None);
                await second.Client.GetInstanceAsync(1001, false, CancellationToken.None);
                await alone.Client.GetInstanceAsync(1001, false, CancellationToken.None);
            }

            var ledger = SharedPaceLedger.PathFor(sandbox.NextMatterBaseUri, sandbox.NextMatterApiKey, _folder);
            Assert.Equal(new[] { ledger }, Directory.GetFiles(_folder));
            Assert.Equal(6, File.ReadAllLines(ledger).Length);
            Assert.DoesNotContain(sandbox.NextMatterApiKey, File.ReadAllText(ledger));
        }
    }
}
