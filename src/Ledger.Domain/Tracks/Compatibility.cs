using Ledger.Domain.Developments;
using Ledger.Domain.Provenance;

namespace Ledger.Domain.Tracks;

/// <summary>
/// When two values of one fact can both be right: a value that is only less precise than another is compatible with
/// it, not in dispute. Counts compare as ranges (exactly X is X; at least or more than X, X and up, since a round
/// figure may be the same count; up to X, 0 to X; about X, within 5%; all, anything); dates as spans of possible days;
/// places by containment ("Istanbul" and "Çırağan Palace, Istanbul"); every other fact by equality.
/// </summary>
public static class Compatibility
{
    /// <summary>How far "about" reaches either side of its number.</summary>
    public const double AboutTolerance = 0.05;

    public static bool Compatible(string fact, string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        if (fact is "occurred" or "due" or "planned-for")
        {
            return FuzzyDate.TryParse(a, out var x) && FuzzyDate.TryParse(b, out var y) ? x!.CompatibleWith(y!) : false;
        }

        if (fact is "venue")
        {
            return a.Contains(b, StringComparison.OrdinalIgnoreCase) || b.Contains(a, StringComparison.OrdinalIgnoreCase);
        }

        if (fact.StartsWith("count-", StringComparison.Ordinal) || fact.StartsWith("quantity-", StringComparison.Ordinal) || fact.StartsWith("size-", StringComparison.Ordinal))
        {
            return Quantity.TryParse(a, out var x) && Quantity.TryParse(b, out var y) && Overlap(x!, y!);
        }

        if (fact is "total")
        {
            return TotalsCompatible(a, b);
        }

        return false;
    }

    public static (double Low, double High) Range(Quantity q) => q.Qualifier switch
    {
        QuantityQualifier.AtLeast or QuantityQualifier.MoreThan => (q.Value, double.PositiveInfinity),
        QuantityQualifier.UpTo => (0, q.Value),
        QuantityQualifier.About => (q.Value * (1 - AboutTolerance), q.Value * (1 + AboutTolerance)),
        QuantityQualifier.All => (0, double.PositiveInfinity),
        _ => (q.Value, q.Value),
    };

    private static bool Overlap(Quantity a, Quantity b)
    {
        var (aLow, aHigh) = Range(a);
        var (bLow, bHigh) = Range(b);
        return aLow <= bHigh && bLow <= aHigh;
    }

    /// <summary>Running totals, "party:count; party:count": compatible where every party both name has compatible counts.</summary>
    private static bool TotalsCompatible(string a, string b)
    {
        static Dictionary<string, string> Parse(string s) => s.Split("; ").Select(p => p.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var x = Parse(a);
        var y = Parse(b);
        return x.Keys.Intersect(y.Keys).All(k => Quantity.TryParse(x[k], out var qa) && Quantity.TryParse(y[k], out var qb) && Overlap(qa!, qb!));
    }
}
