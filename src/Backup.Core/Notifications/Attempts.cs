using System.Globalization;

namespace Backup.Core.Notifications;

/// <summary>
/// One delivery: an attempt bounded by the entry's timeout, and up to <c>retries</c> more after a
/// transient failure (a timeout, a connection error, a server error), waiting longer each time. A
/// refusal (an HTTP 4xx, a rejected login) is not retried: the same request would be refused again.
/// </summary>
/// <param name="backoff">The wait before retry N (1, 2, ...); null: 1 s, 2 s, 4 s, ...</param>
public sealed class Attempts(TimeSpan timeout, int retries, Func<int, TimeSpan>? backoff = null)
{
    public static TimeSpan DefaultBackoff(int retry) => TimeSpan.FromSeconds(Math.Pow(2, Math.Min(retry - 1, 6)));

    public async Task RunAsync(Func<CancellationToken, Task> attempt, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            NotificationFailedException failure;
            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                bounded.CancelAfter(timeout);
                try
                {
                    await attempt(bounded.Token);
                    return;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    failure = new NotificationFailedException(
                        $"no answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (timeout)", transient: true);
                }
                catch (NotificationFailedException e)
                {
                    failure = e;
                }
            }

            if (!failure.Transient || n > retries)
            {
                var tries = n == 1 ? "" : $" ({n} attempts)";
                throw new NotificationFailedException(failure.Message + tries);
            }

            await Task.Delay((backoff ?? DefaultBackoff)(n), ct);
        }
    }
}
