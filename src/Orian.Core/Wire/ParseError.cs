namespace Orian.Wire;

/// <summary>Why a body is not an ORIAN transaction we can accept: the JSON path of the offending
/// field (<c>$</c> for the document itself) and a sentence for the problem body.</summary>
public sealed record ParseError(string Field, string Message);
