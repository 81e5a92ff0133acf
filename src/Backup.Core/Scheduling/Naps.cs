namespace Backup.Core.Scheduling;

/// <summary>
/// The daemon's sleeps: never longer than <see cref="DaemonSettings.MaxSleep"/>, cut short by what
/// should wake it, on the clock the daemon was given, and shown while they last so that specs on a
/// fake clock know when to move it.
/// </summary>
internal sealed class Naps(TimeProvider time)
{
    private static readonly Task Never = new TaskCompletionSource().Task;
    private TaskCompletionSource _napped = NewSignal();
    private Nap? _nap;

    /// <summary>Whether <paramref name="task"/> ended within <paramref name="timeout"/> (sooner if <paramref name="cutShort"/> completes).</summary>
    public async Task<bool> WaitAsync(Task task, TimeSpan timeout, Task? cutShort = null)
    {
        var start = time.GetTimestamp();
        while (!task.IsCompleted && cutShort?.IsCompleted != true)
        {
            var left = timeout - time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                break;
            await NapAsync(left, task, cutShort ?? Never);
        }

        return task.IsCompleted;
    }

    /// <summary>Sleeps up to <paramref name="delay"/> (never longer than <see cref="DaemonSettings.MaxSleep"/>), or until one of <paramref name="wakers"/> completes.</summary>
    public async Task NapAsync(TimeSpan delay, params Task[] wakers)
    {
        delay = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, DaemonSettings.MaxSleep.Ticks));
        var nap = new Nap(Now + delay);
        using var cancel = new CancellationTokenSource();
        // The timer first, then the nap is shown: a spec that moves the clock on seeing it must find the timer set.
        var timer = Task.Delay(delay, time, cancel.Token);
        Volatile.Write(ref _nap, nap);
        Interlocked.Exchange(ref _napped, NewSignal()).TrySetResult();
        await Task.WhenAny([timer, .. wakers]);
        await cancel.CancelAsync();
        nap.Woken.TrySetResult();
    }

    /// <summary>
    /// The sleep the loop is in now (specs drive a fake clock by it: they wait for the daemon to sleep,
    /// move the clock to <see cref="Nap.Until"/> and wait for <see cref="Nap.Woken"/>).
    /// </summary>
    public async Task<Nap> NextAsync()
    {
        while (true)
        {
            var signal = Volatile.Read(ref _napped);
            if (Volatile.Read(ref _nap) is { Woken.Task.IsCompleted: false } nap)
                return nap;
            await signal.Task;
        }
    }

    public sealed record Nap(DateTimeOffset Until)
    {
        public TaskCompletionSource Woken { get; } = NewSignal();
    }

    private DateTimeOffset Now => time.GetUtcNow();

    public static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
