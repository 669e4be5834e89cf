// Entry point of the sandbox; the server itself lives in SandboxServer.cs.
return await WorkflowTools.Sandbox.SandboxCommandLine.RunAsync(args);
