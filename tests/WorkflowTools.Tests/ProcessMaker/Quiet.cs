namespace WorkflowTools.Tests.ProcessMaker
{
    internal static class Quiet
    {
        /// <summary>
        /// Waits until the sandbox has logged every request still on its way: a listing stopped early (-First,
        /// Select-Object -First) may have a prefetched page in flight, which must not land in the next test's window.
        /// </summary>
        public static void Settle(this SandboxFixture f)
        {
            var last = -1;
            var stable = 0;
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (stable < 3 && DateTime.UtcNow < deadline)
            {
                System.Threading.Thread.Sleep(40);
                var count = f.Sandbox.Requests.Count;
                stable = count == last ? stable + 1 : 0;
                last = count;
            }
        }
    }
}
