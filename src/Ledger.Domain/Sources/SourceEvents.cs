namespace Ledger.Domain.Sources;

/// <summary>
/// A source article, registered with its exact text. <see cref="Published"/> is the date the ledger uses
/// for "known on"; <see cref="PublishedAsPrinted"/> keeps what the article itself prints (null when it
/// prints none, in which case <see cref="PublishedNote"/> says how the date was established).
/// </summary>
public sealed record SourceRegistered(
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
    string Text);
