namespace Backup.IntegrationTests.Support;

/// <summary>
/// Waits for a condition that another process brings about (a file appears, a child starts) by
/// looking again every few milliseconds: the wait ends on the condition, never after a set time. The
/// deadline only turns a condition that never comes true into a failure instead of a hang.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The first non-null answer of <paramref name="probe"/>.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        for (var deadline = DateTime.UtcNow + Deadline; DateTime.UtcNow < deadline; await Task.Delay(Interval))
        {
            if (await probe() is { } found)
                return found;
        }

        throw new TimeoutException($"still waiting after {Deadline.TotalSeconds:0} s for {what}");
    }

    public static Task<T> ForAsync<T>(Func<T?> probe, string what) where T : class =>
        ForAsync(() => Task.FromResult(probe()), what);

    public static Task UntilAsync(Func<bool> condition, string what) =>
        ForAsync(() => condition() ? what : null, what);
}
