global using System;
global using System.Collections.Generic;
global using System.Linq;
global using Xunit;
global using WorkflowTools.Tests.Harness;
global using System.Threading;
global using System.Threading.Tasks;
