using Ledger.Domain.Tracks;
using Ledger.Tests.Infrastructure;
using Ledger.Tracks;

namespace Ledger.Tests.Store;

/// <summary>One development on several tracks, and an agreement carried out from another track, read back through status.</summary>
public class LinkedTrackTests(PostgresFixture postgres) : IClassFixture<SampleLedger>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private sealed class Fresh(PostgresFixture postgres) : LedgerDatabase(postgres);

    [Fact]
    public async Task A_development_linked_to_another_track_shows_on_both_and_is_stored_once()
    {
        await using var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        await File.WriteAllTextAsync(Path.Combine(root, "events", "sample-talks", "03-linked.yaml"), """
            negotiation: sample-talks
            developments:
              - key: truce-and-civilians
                track: ceasefire
                also-tracks: [civilians]
                kind: agreement-reached
                occurred: 2025-03-05
                parties: [north, south]
                text: A truce, and the civilians' return
                reports:
                  - source: beta-daily-0304
                    quote: The exchange of 300 prisoners began on 3 March.
            """, _ct);

        var report = await ledger.ImportAsync(root);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        await using var session = ledger.Store.QuerySession();
        var status = await TrackQueries.StatusAsync(session, "sample-talks", null, TimeAxes.Now, null, _ct);
        var onCeasefire = status.Tracks.Single(t => t.Track.Id == "ceasefire").Status.Agreements.Single(a => a.DevelopmentKey == "truce-and-civilians");
        var onCivilians = status.Tracks.Single(t => t.Track.Id == "civilians").Status.Agreements.Single(a => a.DevelopmentKey == "truce-and-civilians");
        Assert.Equal(onCeasefire.Evidence.Single().ClaimId, onCivilians.Evidence.Single().ClaimId);
    }

    [Fact]
    public async Task An_agreement_shows_the_stages_that_carry_it_out_from_another_track()
    {
        await using var ledger = new Fresh(postgres);
        await ledger.InitializeAsync();
        var root = LedgerDatabase.CopySample();
        await File.WriteAllTextAsync(Path.Combine(root, "events", "sample-talks", "03-carried-out.yaml"), """
            negotiation: sample-talks
            developments:
              - key: talks-agree-300
                track: talks
                kind: agreement-reached
                occurred: 2025-03-02
                parties: [north, south]
                quantities:
                  - { category: prisoners-of-war, count: 300 }
                text: Exchange 300 for 300
                reports:
                  - source: beta-daily-0304
                    quote: The exchange of 300 prisoners began on 3 March.
              - key: pow-300-done
                track: prisoners
                kind: exchange-completed
                occurred: 2025-03-03
                category: prisoners-of-war
                transfers:
                  - { to: north, count: 300 }
                implements: { agreement: talks-agree-300, stage: 1 }
                text: 300 returned to North
                reports:
                  - source: beta-daily-0304
                    quote: The exchange of 300 prisoners
                    suffix: " began"
            """, _ct);

        var report = await ledger.ImportAsync(root);

        Assert.True(report.Succeeded, string.Join("\n", report.Files.SelectMany(f => f.Errors)));
        await using var session = ledger.Store.QuerySession();
        var talks = (await TrackQueries.StatusAsync(session, "sample-talks", "talks", TimeAxes.Now, null, _ct)).Tracks.Single().Status;
        var commitment = Assert.Single(talks.Commitments);
        Assert.Equal("pow-300-done", Assert.Single(commitment.Stages).DevelopmentKey);
        var north = commitment.Fulfilment.Single(f => f.ToParty == "north");
        Assert.Equal((300, 300), (north.CarriedOut!.Min, north.Committed!.Value));
    }
}
