using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace WorkflowTools.Http
{
    /// <summary>
    /// An answer body streamed to disk (<see cref="ApiRequest.ReadSuccess"/> = <see cref="ReadAsync"/>): into a hidden
    /// <c>.partial</c> file beside the target, started afresh by each attempt, and moved into place by
    /// <see cref="Complete"/> only once whole, so the target never holds half a file. Disposing removes what is left.
    /// </summary>
    internal sealed class FileDownload : IDisposable
    {
        /// <summary>The copy buffer for file transfers, both ways.</summary>
        public const int CopyBuffer = 81920;

        public FileDownload(string path)
        {
            Target = path;
            PartialPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".",
                "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("n").Substring(0, 8) + ".partial");
        }

        public string Target { get; }

        public string PartialPath { get; }

        /// <summary>The bytes the last attempt wrote.</summary>
        public long Written { get; private set; }

        public async Task ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            using var target = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.None, CopyBuffer, useAsync: true);
            using var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using (cancellationToken.Register(source.Dispose))
            {
                var buffer = new byte[CopyBuffer];
                int read;
                Written = 0;
                while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    Written += read;
                }
            }
        }

        /// <summary>
        /// Moves the finished download onto the target. A target that appeared meanwhile is replaced only with
        /// <paramref name="overwrite"/>; otherwise it is left as it is (<paramref name="what"/> names the download in the error).
        /// </summary>
        public long Complete(bool overwrite, string what)
        {
            if (File.Exists(Target))
            {
                if (!overwrite)
                {
                    throw new IOException($"'{Target}' appeared while the {what} was downloading; it was left as it is.");
                }

                File.Delete(Target);
            }

            File.Move(PartialPath, Target);
            return Written;
        }

        public void Dispose()
        {
            if (File.Exists(PartialPath))
            {
                File.Delete(PartialPath);
            }
        }
    }
}
