using JasperFx.Events;
using Ledger.Domain.Sources;
using Marten.Events.Aggregation;

namespace Ledger.Sources;

/// <summary>A registered source with its exact text, as the ledger holds it; the document id is the stream key.</summary>
public sealed record Source(
    string Id,
    string SourceId,
    string Outlet,
    string Title,
    string? Url,
    DateOnly Published,
    string? PublishedAsPrinted,
    string? PublishedNote,
    string Language,
    string? TranslationNote,
    string ContentHash,
    string Text)
{
    public static Source From(string streamKey, SourceRegistered e) => new(
        streamKey,
        e.SourceId, e.Outlet, e.Title, e.Url, e.Published, e.PublishedAsPrinted, e.PublishedNote, e.Language, e.TranslationNote, e.ContentHash, e.Text);

    /// <summary>The texts quotes are verified against, by source id.</summary>
    public static Dictionary<string, Ledger.Domain.Recording.SourceText> Texts(IEnumerable<Source> sources) =>
        sources.ToDictionary(s => s.SourceId, s => new Ledger.Domain.Recording.SourceText(s.SourceId, s.Text, s.Published, s.Outlet));
}

public sealed partial class SourceProjection : SingleStreamProjection<Source, string>
{
    // Evolve takes any event, so the one it folds is named here: otherwise every append would read a source
    // document for each stream it touches, and a rebuild would read every claim.
    public SourceProjection() => IncludeType<SourceRegistered>();

    public override Source? Evolve(Source? snapshot, string id, IEvent e) =>
        e.Data is SourceRegistered registered ? Source.From(id, registered) : snapshot;
}
