using System.Management.Automation;
using WorkflowTools.Cmdlets.Common;
using WorkflowTools.ProcessMaker;

namespace WorkflowTools.Cmdlets.ProcessMaker
{
    /// <summary>
    /// The user fields New-PmUser and Set-PmUser share. The text fields bind from CSV columns (or piped objects) of the
    /// same name, item by item; the status is always named.
    /// </summary>
    public abstract class PmUserFieldsCmdlet : PmThrottledCmdlet
    {
        /// <summary>First name (at most 50 characters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 50)]
        public string? FirstName { get; set; }

        /// <summary>Last name (at most 50 characters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 50)]
        public string? LastName { get; set; }

        /// <summary>E-mail address.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Email { get; set; }

        /// <summary>Job title.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Title { get; set; }

        /// <summary>Phone number (digits, spaces and + . x ( ) - /).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Phone { get; set; }

        /// <summary>Cell phone number (digits, spaces and + . x ( ) - /).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Cell { get; set; }

        /// <summary>Street address.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Address { get; set; }

        /// <summary>City.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? City { get; set; }

        /// <summary>State or region.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? State { get; set; }

        /// <summary>Postal code.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PostalCode { get; set; }

        /// <summary>Country.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Country { get; set; }

        /// <summary>Time zone, as ProcessMaker names them (America/New_York).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Timezone { get; set; }

        /// <summary>Interface language code (en, de, es, …).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Language { get; set; }

        /// <summary>The user's status: Active, Inactive, OutOfOffice, Scheduled or Blocked (Inactive users cannot sign in). Never taken from piped objects: a piped task's Status is not a user's.</summary>
        [Parameter]
        [EnumArgument(typeof(PmUserStatus))]
        [ValidateSet("Active", "Inactive", "OutOfOffice", "Scheduled", "Blocked", IgnoreCase = true)]
        public PmUserStatus? Status { get; set; }

        /// <summary>The changes as the client takes them; an empty CSV cell counts as not given.</summary>
        private protected PmUserChanges Changes(string? userName) => new PmUserChanges
        {
            UserName = Blank(userName),
            FirstName = Blank(FirstName),
            LastName = Blank(LastName),
            Email = Blank(Email),
            Status = Status,
            Title = Blank(Title),
            Phone = Blank(Phone),
            Cell = Blank(Cell),
            Address = Blank(Address),
            City = Blank(City),
            State = Blank(State),
            PostalCode = Blank(PostalCode),
            Country = Blank(Country),
            Timezone = Blank(Timezone),
            Language = Blank(Language),
        };

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
