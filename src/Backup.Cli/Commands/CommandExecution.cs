using Backup.Cli.Output;
using Backup.Core;
using Backup.Core.Configuration;
using Backup.Core.Processes;

namespace Backup.Cli.Commands;

/// <summary>
/// Runs a command body and maps what escapes it to an exit code and a message: the one place where
/// exceptions become exit codes. Users see messages, never stack traces (BACKUP_DEBUG=1 shows them).
/// </summary>
internal static class CommandExecution
{
    public static async Task<int> RunAsync(string command, Func<CancellationToken, Task<int>> body, CancellationToken ct)
    {
        Stderr.Command = command;
        try
        {
            return await body(ct);
        }
        catch (ConfigException e)
        {
            if (Stderr.IsJson)
            {
                // One object per error, with its place as fields, for a shipper to show.
                foreach (var error in e.Errors)
                    Stderr.Error($"{e.File}: {error}", Stderr.Field("config", e.File), Stderr.Field("yaml_path", error.YamlPath), Stderr.Field("line", error.Line));
            }
            else
            {
                Stderr.Error(e.Message);
            }

            Stderr.Error("Fix the config and run `backup validate` to check it. Nothing was run.");
            return ExitCodes.ConfigError;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Stderr.Error($"backup {command}: interrupted; unfinished artifacts were aborted.");
            return ExitCodes.Interrupted;
        }
        catch (UsageException e)
        {
            // Found before anything was done, like a mistyped option.
            Stderr.Error($"backup {command}: {e.Message}");
            return ExitCodes.ConfigError;
        }
        catch (BackupException e)
        {
            Stderr.Error($"backup {command}: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            var debug = Environment.GetEnvironmentVariable("BACKUP_DEBUG") == "1";
            Stderr.Error($"backup {command}: unexpected error ({e.GetType().Name}): {e.Message}",
                Stderr.Field("exception", debug && Stderr.IsJson ? e.ToString() : null));
            if (debug && !Stderr.IsJson)
                Stderr.Error(e.ToString());
            else if (!debug)
                Stderr.Error("This is a bug; please report it with the output of BACKUP_DEBUG=1.");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Loads and validates the config, and keeps its secret-bearing variables away from children.</summary>
    public static BackupConfig LoadConfig(FileInfo? option, LocalPathChecks checks, CancellationToken ct)
    {
        var config = ConfigLoader.Load(CommonOptions.ResolveConfigPath(option), checks, ct);
        ChildProcess.RemoveFromChildEnvironment(config.SecretEnvironmentVariables);
        return config;
    }
}
