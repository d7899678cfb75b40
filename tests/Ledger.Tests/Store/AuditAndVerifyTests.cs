using Ledger.Audit;
using Ledger.Domain.Tracks;
using Ledger.Sources;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Store;

public class AuditAndVerifyTests(SampleLedger ledger) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_status_field_leads_to_its_events_sources_and_quotes_down_to_the_characters()
    {
        await using var session = ledger.Store.QuerySession();

        var audit = await AuditQueries.TrackAsync(session, "sample-talks", "prisoners", "disputes.pow-500-for-500.kind", TimeAxes.Now, _ct);

        var field = Assert.Single(audit.Fields);
        Assert.Equal(2, field.Claims.Count);
        foreach (var claim in field.Claims)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(ledger.Root, "seeds", claim.SourceId + ".txt"), _ct);
            Assert.Equal(claim.Quote.Exact, text[claim.Quote.Start..claim.Quote.End]);
            Assert.Contains(claim.Quote.Exact, claim.Quote.Sentence, StringComparison.Ordinal);
            Assert.True(claim.EventSequence > 0);
            Assert.Equal("test", claim.RecordedBy);
        }

        var beta = field.Claims.Single(c => c.SourceId == "beta-daily-0304");
        Assert.Equal("Beta Daily", beta.Outlet);
        Assert.Equal("sorokin", beta.SaidBy!.Actor);
        Assert.Equal("Iwan Sorokin", beta.SaidBy.AsNamed);
    }

    [Fact]
    public async Task An_event_can_be_audited_by_its_claim_id_or_its_event_id()
    {
        await using var session = ledger.Store.QuerySession();
        var byField = (await AuditQueries.TrackAsync(session, null, "ceasefire", "proposals", TimeAxes.Now, _ct)).Fields[0].Claims[0];

        var byClaim = await AuditQueries.ClaimAsync(session, byField.ClaimId, _ct);
        var byEvent = await AuditQueries.ClaimAsync(session, byField.EventId, _ct);

        Assert.Equal(byField.ClaimId, byClaim.ClaimId);
        Assert.Equal(byField.ClaimId, byEvent.ClaimId);
        Assert.Equal("North proposed a ceasefire of thirty days.", byEvent.Quote.Exact);
    }

    [Fact]
    public async Task Verify_passes_on_the_registered_sources_and_catches_an_edited_one()
    {
        await using var session = ledger.Store.QuerySession();
        var seeds = Path.Combine(ledger.Root, "seeds");
        var clean = await Verification.RunAsync(session, seeds, _ct);
        Assert.True(clean.Passed, string.Join("\n", clean.Problems));
        Assert.Equal(17, clean.QuotesChecked);
        Assert.Equal(clean.SourcesChecked, clean.SourcesComparedWithFile);
        Assert.Empty(clean.SourcesWithoutFile);
        Assert.Null(clean.StoreOnlyNote);

        var edited = Path.Combine(Path.GetTempPath(), "ledger-verify-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(edited);
        foreach (var file in Directory.EnumerateFiles(seeds))
        {
            File.Copy(file, Path.Combine(edited, Path.GetFileName(file)));
        }

        var path = Path.Combine(edited, "beta-daily-0304.txt");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path, _ct)).Replace("300 prisoners", "3,000 prisoners", StringComparison.Ordinal), _ct);

        var report = await Verification.RunAsync(session, edited, _ct);

        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.SourceId == "beta-daily-0304" && p.ClaimId is null && p.Problem.Contains($"{path} has changed", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.SourceId == "beta-daily-0304" && p.Problem.Contains("pow-exchange-300", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.SourceId != "beta-daily-0304");
    }
}
