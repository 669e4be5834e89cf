using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace WorkflowTools.Http
{
    /// <summary>
    /// One request budget for every process on this machine that uses one key against one service (Connect-NmService
    /// -ShareBudget): a small file of the slots taken in the last hour, read and rewritten under an exclusive lock for
    /// each slot. A slot is given no earlier than the caller's own pacer allows, never before a slot another process
    /// already took, and only where no 60-second window holds more than the minute limit and no hour more than the
    /// hour limit, counting every process's slots. The file is named by a hash of the origin and the key (the key
    /// itself is never written) and lives in the user's local application data, so jobs under one account share it.
    /// A file that cannot be locked within <see cref="LockTimeout"/> leaves the caller with its own pacing (traced).
    /// </summary>
    internal sealed class SharedPaceLedger
    {
        /// <summary>How long a caller waits for another process's turn at the file before pacing alone.</summary>
        public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

        private readonly Func<DateTime> _utcNow;

        /// <param name="path">The ledger file (see <see cref="PathFor"/>).</param>
        /// <param name="requestsPerMinute">The minute limit shared by all its users; 0: none.</param>
        /// <param name="requestsPerHour">The hour limit; 0: none.</param>
        /// <param name="utcNow">The clock (tests); the system's UTC time when null.</param>
        public SharedPaceLedger(string path, int requestsPerMinute, int requestsPerHour, Func<DateTime>? utcNow = null)
        {
            Path = path;
            RequestsPerMinute = Math.Max(0, requestsPerMinute);
            RequestsPerHour = Math.Max(0, requestsPerHour);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        public string Path { get; }

        public int RequestsPerMinute { get; }

        public int RequestsPerHour { get; }

        /// <summary>The ledger file for a service origin and credential: a SHA-256 of both names it, never the credential.</summary>
        public static string PathFor(Uri baseUri, string credential, string? folder = null)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(baseUri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + "\n" + credential));
            var name = "pace-" + string.Concat(hash.Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))) + ".log";
            folder ??= System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "WorkflowTools");
            return System.IO.Path.Combine(folder, name);
        }

        /// <summary>How long to wait from now for a slot no earlier than <paramref name="localWait"/> from now (the caller's own pacer).</summary>
        public TimeSpan Reserve(TimeSpan localWait)
        {
            var now = _utcNow();
            var slot = Take(now + localWait);
            return slot > now ? slot - now : TimeSpan.Zero;
        }

        /// <summary>Takes and records the first slot at or after <paramref name="earliest"/> (UTC) that keeps both limits for all users of the file.</summary>
        public DateTime Take(DateTime earliest)
        {
            using var file = Lock();
            if (file == null)
            {
                ApiTrace.Verbose($"The shared request budget ({Path}) is busy; this request is paced by its own connection only.");
                return earliest;
            }

            var slots = Read(file, earliest - TimeSpan.FromHours(1) - RequestPacer.HourMargin);
            var slot = earliest;
            if (slots.Count > 0 && slots[slots.Count - 1] > slot)
            {
                slot = slots[slots.Count - 1]; // in the order taken, as one pacer hands them out
            }

            for (var pass = 0; pass < 2; pass++)
            {
                slot = Clear(slots, slot, RequestsPerMinute, TimeSpan.FromMinutes(1) + RequestPacer.MinuteMargin);
                slot = Clear(slots, slot, RequestsPerHour, TimeSpan.FromHours(1) + RequestPacer.HourMargin);
            }

            slots.Add(slot);
            Write(file, slots);
            return slot;
        }

        /// <summary>The slot moved past the window's oldest slot when the window before it is full (slots are sorted, none after it).</summary>
        private static DateTime Clear(List<DateTime> slots, DateTime slot, int limit, TimeSpan window)
        {
            if (limit <= 0 || slots.Count < limit)
            {
                return slot;
            }

            var leaving = slots[slots.Count - limit]; // the oldest of the last `limit` slots
            return slot < leaving + window ? leaving + window : slot;
        }

        private FileStream? Lock()
        {
            var deadline = DateTime.UtcNow + LockTimeout;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            while (true)
            {
                try
                {
                    return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(5);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    return null;
                }
            }
        }

        /// <summary>The slots after <paramref name="since"/>, sorted; lines that are not UTC ticks are dropped.</summary>
        private static List<DateTime> Read(FileStream file, DateTime since)
        {
            var slots = new List<DateTime>();
            file.Position = 0;
            var reader = new StreamReader(file, Encoding.ASCII, false, 4096, leaveOpen: true);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks)
                {
                    var slot = new DateTime(ticks, DateTimeKind.Utc);
                    if (slot > since)
                    {
                        slots.Add(slot);
                    }
                }
            }

            slots.Sort();
            return slots;
        }

        private static void Write(FileStream file, List<DateTime> slots)
        {
            var text = new StringBuilder(slots.Count * 20);
            foreach (var slot in slots)
            {
                text.Append(slot.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            var bytes = Encoding.ASCII.GetBytes(text.ToString());
            file.Position = 0;
            file.SetLength(0);
            file.Write(bytes, 0, bytes.Length);
            file.Flush();
        }
    }
}
