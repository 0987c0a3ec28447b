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

    /// <summary>How long a request that answers the stand-in waits for its durable record before
    /// answering anyway (the record then follows). Default 250 ms: inside PPS's 2 s with a 1.5 s deadline.</summary>
    [Range(0, 5_000)]
    public int StandInRecordBudgetMs { get; set; } = 250;

    /// <summary>How often open stand-in records are settled (besides start-up and right after a late
    /// commit). Default 30 s.</summary>
    [Range(1_000, 3_600_000)]
    public int ReconcileIntervalMs { get; set; } = 30_000;

    /// <summary>How long a stand-in record waits for a decision to commit before it is closed as
    /// having none. Default 15 minutes: far beyond any batch's database timeouts and retries.</summary>
    [Range(1, 86_400)]
    public int StandInHorizonSeconds { get; set; } = 900;
}
