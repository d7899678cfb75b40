using System.Globalization;
using Ledger.Domain.Provenance;

namespace Ledger.Domain.Developments;

/// <summary>A field of a report beyond the common ones, as an event file holds it.</summary>
public sealed record KindField(string Name, FieldValue Value);

/// <summary>What an event-file field holds: a text, a list of texts, a mapping, or a list of mappings.</summary>
public abstract record FieldValue;

public sealed record FieldText(string Text) : FieldValue;

public sealed record FieldTexts(IReadOnlyList<string> Items) : FieldValue;

public sealed record FieldMapping(IReadOnlyList<KindField> Fields) : FieldValue;

public sealed record FieldMappings(IReadOnlyList<FieldMapping> Items) : FieldValue;

/// <summary>An earlier report as a file names it (<c>{ development, source, quote }</c>): what its claim id is made of.</summary>
public sealed record ReportReference(string Development, string Source, string Quote);

/// <summary>
/// Writes the fields of one report the way <see cref="KindReader"/> reads them back, in a fixed order. What is absent
/// (null, an empty list, a false flag) is left out, since the reader takes absence to mean just that. Earlier reports
/// are named through <paramref name="referenceOf"/>, because a claim id alone cannot be written back as a file names it.
/// </summary>
public sealed class KindWriter(Func<Guid, ReportReference> referenceOf)
{
    private readonly List<KindField> _fields = [];

    public IReadOnlyList<KindField> Fields => _fields;

    /// <summary>
    /// What the report names, for the order files are imported in: 0 nothing, 1 another development by its key,
    /// 2 an earlier report (which may itself name a development).
    /// </summary>
    public int ReferenceDepth { get; private set; }

    public KindWriter Text(string field, string? value)
    {
        if (value is not null)
        {
            _fields.Add(new KindField(field, new FieldText(value)));
        }

        return this;
    }

    public KindWriter Texts(string field, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            _fields.Add(new KindField(field, new FieldTexts(values)));
        }

        return this;
    }

    /// <summary>Another development, by its key: it must be recorded before this report is.</summary>
    public KindWriter Key(string field, string key)
    {
        Names(1);
        return Text(field, key);
    }

    /// <inheritdoc cref="Key"/>
    public KindWriter Keys(string field, IReadOnlyList<string> keys)
    {
        if (keys.Count > 0)
        {
            Names(1);
        }

        return Texts(field, keys);
    }

    public KindWriter Date(string field, FuzzyDate? date) => Text(field, date?.ToString());

    public KindWriter Number(string field, int? value) => Text(field, value?.ToString(CultureInfo.InvariantCulture));

    public KindWriter Choice<T>(string field, T value)
        where T : struct, Enum => Text(field, Tracks.Naming.Kebab(value.ToString()));

    /// <summary>Written only when set: the reader takes a missing flag as false.</summary>
    public KindWriter Flag(string field, bool value) => value ? Text(field, "true") : this;

    public KindWriter Quantities(string field, IReadOnlyList<CategoryQuantity> quantities) =>
        Mappings(field, quantities.Select(q => Mapping(("category", q.Category), ("count", q.Count.ToInvariantString()), ("to", q.ToParty))));

    public KindWriter Transfers(string field, IReadOnlyList<Transfer> transfers) =>
        Mappings(field, transfers.Select(t => Mapping(("to", t.ToParty), ("count", t.Count?.ToInvariantString()), ("category", t.Category))));

    public KindWriter Implements(string field, Implementation? implements)
    {
        if (implements is not null)
        {
            Names(1);
            _fields.Add(new KindField(field, Mapping(("agreement", implements.AgreementKey), ("stage", implements.Stage?.ToString(CultureInfo.InvariantCulture)))));
        }

        return this;
    }

    /// <summary>An earlier report, by the development, source and quote its claim id is made of.</summary>
    public KindWriter Reference(string field, Guid claimId)
    {
        var target = referenceOf(claimId);
        Names(2);
        _fields.Add(new KindField(field, Mapping(("development", target.Development), ("source", target.Source), ("quote", target.Quote))));
        return this;
    }

    private KindWriter Mappings(string field, IEnumerable<FieldMapping> items)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            _fields.Add(new KindField(field, new FieldMappings(list)));
        }

        return this;
    }

    private static FieldMapping Mapping(params (string Key, string? Value)[] entries) =>
        new([.. entries.Where(e => e.Value is not null).Select(e => new KindField(e.Key, new FieldText(e.Value!)))]);

    private void Names(int depth) => ReferenceDepth = Math.Max(ReferenceDepth, depth);
}
