using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Authorisation</c>: delegated authorisation decisions.</summary>
public sealed class AuthorisationOptions
{
    public const string Section = "Orian:Authorisation";

    /// <summary>Time from receipt within which a decision must be committed; after it the request is
    /// answered with the stand-in. Default 1,500 ms (PPS's peers give issuers 2 s).</summary>
    [Range(50, 30_000)]
    public int DeadlineMs { get; set; } = 1500;

    /// <summary>Approve what is available when it is less than the amount. Default false.</summary>
    public bool PartialApproval { get; set; }

    /// <summary>Per product class (<c>product_class_id</c>), overriding <see cref="PartialApproval"/>:
    /// <c>Orian__Authorisation__PartialApprovalByProductClass__GIFT=true</c>.</summary>
    public Dictionary<string, bool> PartialApprovalByProductClass { get; set; } = [];

    /// <summary>The stand-in result: <c>DECLINED</c> (default) or <c>APPROVED</c>. A stand-in never holds money.</summary>
    [RegularExpression("^(APPROVED|DECLINED)$")]
    public string StandInResult { get; set; } = "DECLINED";

    /// <summary>The stand-in's <c>result_detail</c>. Default <c>SYSTEM_ERROR</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string StandInDetail { get; set; } = "SYSTEM_ERROR";

    /// <summary>How often the reconciler scans the database for decisions that never became their
    /// requests' answers (besides start-up and right after a late commit). Default 30 s.</summary>
    [Range(1_000, 3_600_000)]
    public int ReconcileIntervalMs { get; set; } = 30_000;

    /// <summary>How long past its deadline an unconfirmed decision is left before the scan revokes it:
    /// time for a confirmation already under way (a decision that won just before the deadline) to
    /// commit, so it is not needlessly replaced by the stand-in. Either way the database decides which
    /// came first. Default 2,000 ms.</summary>
    [Range(0, 60_000)]
    public int ConfirmGraceMs { get; set; } = 2_000;

    /// <summary>How many unconfirmed decisions one reconciliation transaction revokes; a round goes on
    /// page after page until none is left. Default 500.</summary>
    [Range(1, 10_000)]
    public int ReconcilePageSize { get; set; } = 500;

    /// <summary>An authorisation answer carries a <c>Server-Timing</c> header with where its decision's
    /// time went (lane, begin, lock, plan, write, commit, confirm, answer; milliseconds), as the load
    /// benchmark reads it. Off by default: it tells the caller how busy the ledger is.</summary>
    public bool ServerTiming { get; set; }
}
