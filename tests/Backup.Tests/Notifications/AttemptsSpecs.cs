using Backup.Core.Notifications;

namespace Backup.Tests.Notifications;

/// <summary>How a delivery is tried: transient failures again after a growing wait, refusals once.</summary>
public sealed class AttemptsSpecs
{
    private readonly List<TimeSpan> _waits = [];

    private Attempts Attempts(int retries, TimeSpan? timeout = null) =>
        new(timeout ?? TimeSpan.FromSeconds(10), retries, n =>
        {
            _waits.Add(Backup.Core.Notifications.Attempts.DefaultBackoff(n));
            return TimeSpan.Zero;
        });

    [Fact]
    public async Task A_transient_failure_is_tried_again_waiting_1_2_4_s()
    {
        var tries = 0;

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => Attempts(3).RunAsync(_ =>
        {
            tries++;
            throw new NotificationFailedException("HTTP 503", transient: true);
        }, CancellationToken.None));

        Assert.Equal(4, tries);
        Assert.Equal("HTTP 503 (4 attempts)", failure.Message);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _waits);
    }

    [Fact]
    public async Task A_refusal_is_not_tried_again()
    {
        var tries = 0;

        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() => Attempts(3).RunAsync(_ =>
        {
            tries++;
            throw new NotificationFailedException("HTTP 403 Forbidden");
        }, CancellationToken.None));

        Assert.Equal((1, "HTTP 403 Forbidden"), (tries, failure.Message));
    }

    [Fact]
    public async Task A_success_after_a_failure_ends_the_attempts()
    {
        var tries = 0;

        await Attempts(3).RunAsync(_ => ++tries == 1 ? throw new NotificationFailedException("reset", transient: true) : Task.CompletedTask, CancellationToken.None);

        Assert.Equal(2, tries);
    }

    [Fact]
    public async Task An_attempt_that_outlives_its_timeout_is_cancelled_and_counts_as_transient()
    {
        var failure = await Assert.ThrowsAsync<NotificationFailedException>(() =>
            Attempts(1, TimeSpan.FromMilliseconds(50)).RunAsync(ct => Task.Delay(Timeout.Infinite, ct), CancellationToken.None));

        Assert.Equal("no answer within 0.1 s (timeout) (2 attempts)", failure.Message);
    }
}
