using System;
using System.Text.Json.Nodes;

namespace WorkflowTools.Sandbox;

/// <summary>
/// The deterministic demo data set (loaded when <see cref="SandboxOptions.SeedData"/> is true). Times are relative
/// to the clock start (default Monday 2026-01-05 09:00 UTC).
/// <para><b>Next Matter</b></para>
/// <list type="bullet">
/// <item>Process 1 "Employee onboarding" (caller names instances; default "Employee onboarding #id"):
/// step 42 "Personal details" — 123456 text "Full name" (required), 789012 dropdown "Department" [Value 2, Sales, IT];
/// step 43 "Manager approval" — 555001 radio "Decision" [Approve, Reject];
/// step 44 "Equipment" — 555002 checklist "Equipment" [Laptop, Phone], 555003 date "Start date".</item>
/// <item>Process 2 "Vendor review" (auto-named): step 50 "Review" — 500001 text "Comments".</item>
/// <item>Process 3 "Expense claim": step 60 "Claim" — 600001 text "Purpose" (required), 600002 number "Amount" (required),
/// 600003 url "Receipt"; step 61 "Approval" — 600004 decision "Decision" (required); step 62 "Payout" — 600005 date "Paid on".
/// No instances.</item>
/// <item>Instances 1001–1025 of process 1 (table <see cref="OnboardingInstances"/>: running 3 days / 10 days / 40 s,
/// completed in 40 s, 49–51 s, 2.5 h, aborted...), instances 1026–1030 of process 2. New instances get ids from 1031.</item>
/// </list>
/// <para><b>ProcessMaker</b></para>
/// <list type="bullet">
/// <item>Every manual start event is assigned to users 1 (admin) and 2 (jdoe); jdoe holds no permissions.</item>
/// <item>Process 1 "Onboarding": start node_1 "Start" and timer start node_9 "Weekly reminder"; task node_2 "Fill in details".</item>
/// <item>Process 2 "Purchase request": starts node_1 "Web order", node_5 "Phone order"; tasks node_2 "Approve", node_3 "Order".</item>
/// <item>Process 3 "Nightly sync": only a timer start event node_1 (not startable); task node_2 "Sync".</item>
/// <item>Process 4 "Archived process": ARCHIVED; start node_1, task node_2 "Do".</item>
/// <item>Requests 1–12 (table <see cref="PmRequests"/>), tasks numbered in creation order; new requests from 13.</item>
/// </list>
/// </summary>
public static class SeedData
{
    /// <summary>(name, started how long ago, status, runtime, tags, priority, active step) of instances 1001–1025.</summary>
    internal static readonly (string Name, TimeSpan Ago, string Status, TimeSpan Runtime, string[] Tags, string? Priority, long? Step)[] OnboardingInstances =
    {
        ("Onboarding Ada Lovelace", Days(3), "running", default, new[] { "engineering" }, "V", 42),
        ("Onboarding Grace Hopper", TimeSpan.FromSeconds(40), "running", default, new[] { "engineering", "remote" }, null, 42),
        ("Onboarding Alan Turing", Days(2), "completed", TimeSpan.FromSeconds(40), new[] { "research" }, null, null),
        ("Onboarding Katherine Johnson", Days(5), "completed", new TimeSpan(2, 30, 0), new[] { "finance" }, "H", null),
        ("Onboarding Linus Torvalds", Days(7), "aborted", new TimeSpan(1, 0, 9, 30), new[] { "engineering" }, null, null),
        ("Onboarding Margaret Hamilton", TimeSpan.FromMinutes(50), "running", default, new[] { "sales" }, null, 43),
        ("Onboarding Barbara Liskov", new TimeSpan(1, 0, 30), "running", default, new[] { "sales", "remote" }, "H", 44),
        ("Onboarding Edsger Dijkstra", Days(3), "completed", TimeSpan.FromSeconds(50), new[] { "research" }, null, null),
        ("Onboarding Donald Knuth", Days(4), "completed", TimeSpan.FromSeconds(49), Array.Empty<string>(), null, null),
        ("Onboarding John Backus", Days(4.5), "completed", TimeSpan.FromSeconds(51), Array.Empty<string>(), "V", null),
        ("Onboarding Frances Allen", Days(6), "aborted", TimeSpan.FromMinutes(10), new[] { "legal" }, null, null),
        ("Onboarding Ken Thompson", Days(10), "running", default, new[] { "legal" }, "V", 43),
        ("Onboarding Dennis Ritchie", Days(12), "completed", new TimeSpan(3, 4, 5, 6), new[] { "engineering" }, null, null),
        ("Onboarding Bjarne Stroustrup", Days(1), "running", default, new[] { "remote" }, null, 42),
        ("Onboarding Anders Hejlsberg", Days(9), "completed", TimeSpan.FromMinutes(90), new[] { "engineering", "remote" }, "H", null),
        ("Onboarding Guido van Rossum", Days(8), "aborted", TimeSpan.FromSeconds(30), Array.Empty<string>(), null, null),
        ("Onboarding Radia Perlman", Days(0.5), "running", default, new[] { "network" }, null, 44),
        ("Onboarding Tim Berners-Lee", Days(15), "completed", new TimeSpan(1, 2, 3, 4), new[] { "network" }, null, null),
        ("Onboarding Vint Cerf", Days(20), "completed", TimeSpan.FromHours(5), new[] { "network" }, "V", null),
        ("Onboarding Leslie Lamport", Days(2.5), "running", default, new[] { "research" }, "H", 42),
        ("Onboarding Shafi Goldwasser", Days(11), "completed", TimeSpan.FromMinutes(50), new[] { "research" }, null, null),
        ("Onboarding Hedy Lamarr", Days(13), "aborted", TimeSpan.FromDays(2), new[] { "sales" }, null, null),
        ("Onboarding Sophie Wilson", Days(0.1), "running", default, new[] { "sales" }, null, 43),
        ("Onboarding Niklaus Wirth", Days(30), "completed", TimeSpan.FromMinutes(1), new[] { "finance" }, null, null),
        ("Onboarding Adele Goldberg", Days(45), "running", default, new[] { "finance", "remote" }, "V", 44),
    };

    /// <summary>(process, status, days ago, requester, start event, open task) of requests 1–12.</summary>
    internal static readonly (long Process, string Status, double DaysAgo, long User, string Start, string? AtTask)[] PmRequests =
    {
        (1, "ACTIVE", 40, ProcessMakerStore.AdminUserId, "node_1", null),      // 1: stale
        (1, "COMPLETED", 30, ProcessMakerStore.AdminUserId, "node_1", null),   // 2
        (1, "ACTIVE", 2, ProcessMakerStore.OrdinaryUserId, "node_1", null),    // 3: jdoe's
        (1, "CANCELED", 10, ProcessMakerStore.AdminUserId, "node_1", null),    // 4
        (2, "ACTIVE", 1, ProcessMakerStore.AdminUserId, "node_1", "node_2"),   // 5: awaiting approval
        (2, "ACTIVE", 3, ProcessMakerStore.AdminUserId, "node_5", "node_3"),   // 6: approved, ordering
        (2, "COMPLETED", 20, ProcessMakerStore.AdminUserId, "node_1", null),   // 7
        (2, "COMPLETED", 5, ProcessMakerStore.OrdinaryUserId, "node_5", null), // 8
        (2, "CANCELED", 15, ProcessMakerStore.AdminUserId, "node_1", null),    // 9
        (3, "COMPLETED", 1, ProcessMakerStore.AdminUserId, "node_1", null),    // 10: timer-started
        (3, "COMPLETED", 0.25, ProcessMakerStore.AdminUserId, "node_1", null), // 11
        (1, "ACTIVE", 90, ProcessMakerStore.OrdinaryUserId, "node_1", null),   // 12: very stale, jdoe's
    };

    private static TimeSpan Days(double days) => TimeSpan.FromHours(Math.Round(days * 24, 3));

    /// <summary>Load the Next Matter part.</summary>
    public static void LoadNextMatter(NextMatterStore store, DateTimeOffset now)
    {
        store.AddProcess(1, "Employee onboarding",
            new SandboxStep(42, "Personal details",
                new SandboxAction(123456, "Full name", "text", Required: true),
                new SandboxAction(789012, "Department", "dropdown", Options: new[] { "Value 2", "Sales", "IT" })),
            new SandboxStep(43, "Manager approval",
                new SandboxAction(555001, "Decision", "radio", Options: new[] { "Approve", "Reject" })),
            new SandboxStep(44, "Equipment",
                new SandboxAction(555002, "Equipment", "checklist", Options: new[] { "Laptop", "Phone" }),
                new SandboxAction(555003, "Start date", "date")));
        store.AddProcess(new NmProcess(2, "Vendor review",
            new[] { new SandboxStep(50, "Review", new SandboxAction(500001, "Comments", "text")) }, AutoNamed: true));
        store.AddProcess(3, "Expense claim",
            new SandboxStep(60, "Claim",
                new SandboxAction(600001, "Purpose", "text", Required: true),
                new SandboxAction(600002, "Amount", "number", Required: true),
                new SandboxAction(600003, "Receipt", "url")),
            new SandboxStep(61, "Approval",
                new SandboxAction(600004, "Decision", "decision", Required: true)),
            new SandboxStep(62, "Payout",
                new SandboxAction(600005, "Paid on", "date")));

        foreach (var s in OnboardingInstances)
        {
            var started = now - s.Ago;
            var i = store.AddInstance(1, s.Name, started, s.Status == "running" ? null : s.Runtime, s.Status, s.Tags, s.Priority, s.Step);
            if (s.Status == "completed" || s.Step is 43 or 44)
            {
                i.ValuesByAction[123456] = new JsonObject { ["inputValue"] = s.Name.Replace("Onboarding ", "") };
                i.ValuesByAction[789012] = new JsonObject { ["itemSelected"] = s.Tags.Length > 0 && s.Tags[0] == "sales" ? "Sales" : "IT" };
            }
        }
        for (var k = 0; k < 5; k++)
            store.AddInstance(2, null, now - TimeSpan.FromDays(k + 1), k % 2 == 0 ? TimeSpan.FromHours(k + 1) : null,
                k % 2 == 0 ? "completed" : "running", new[] { "vendor" }, k == 3 ? "H" : null);
    }

    /// <summary>Load the ProcessMaker part.</summary>
    public static void LoadProcessMaker(ProcessMakerStore store, DateTimeOffset now)
    {
        // Every manual start event of the demo data names the administrator and jdoe (pm:assignment="user",
        // assignedUsers "1,2"); timer start events have no assignment.
        static PmStartEvent Ev(string id, string name, string kind = "none") => kind == "timer" ? new(id, name, kind)
            : new(id, name, kind) { AssignedUsers = new[] { ProcessMakerStore.AdminUserId, ProcessMakerStore.OrdinaryUserId } };
        store.AddProcess(new PmProcess(1, "Onboarding", new[] { Ev("node_1", "Start"), Ev("node_9", "Weekly reminder", "timer") },
            new[] { new PmTaskDefinition("node_2", "Fill in details") }) { ProcessVersionId = 11, Description = "New hire onboarding" });
        store.AddProcess(new PmProcess(2, "Purchase request",
            new[] { Ev("node_1", "Web order"), Ev("node_5", "Phone order") },
            new[] { new PmTaskDefinition("node_2", "Approve"), new PmTaskDefinition("node_3", "Order") }) { ProcessVersionId = 21, Description = "Buy things" });
        store.AddProcess(new PmProcess(3, "Nightly sync", new[] { Ev("node_1", "Every night", "timer") },
            new[] { new PmTaskDefinition("node_2", "Sync") }) { ProcessVersionId = 31, Description = "Timer-started" });
        store.AddProcess(new PmProcess(4, "Archived process", new[] { Ev("node_1", "Start") },
            new[] { new PmTaskDefinition("node_2", "Do") }) { Status = "ARCHIVED", ProcessVersionId = 41, Description = "No longer used" });

        var n = 0;
        foreach (var r in PmRequests)
        {
            n++;
            var data = new JsonObject { ["requester_note"] = $"Seed request {n}", ["_parent"] = null, ["amount"] = n * 100 };
            store.AddRequest(r.Process, r.Status, now - TimeSpan.FromDays(r.DaysAgo), r.User, data, r.Start, r.AtTask);
        }
    }
}
