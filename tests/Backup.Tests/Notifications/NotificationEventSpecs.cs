using System.Text.Json;
using Backup.Core.Notifications;
using Backup.Core.Running;
using static Backup.Tests.Notifications.NotificationSamples;

namespace Backup.Tests.Notifications;

/// <summary>The event (schema 1, docs/notifications.md) and the words made of it: title, summary, text.</summary>
public sealed class NotificationEventSpecs
{
    [Fact]
    public void The_end_event_is_versioned_JSON_with_the_run_and_every_artifact()
    {
        var e = End(Ok("home", "data"), Failed("prod", "shop", "mysqldump exited 2: Access denied"));

        using var json = JsonDocument.Parse(e.ToJson());
        var root = json.RootElement;

        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("end", root.GetProperty("event").GetString());
        Assert.Equal("failure", root.GetProperty("status").GetString());
        Assert.Equal("7d1c0e52-8a3b-4f7e-9c1d-2b3a4c5d6e7f", root.GetProperty("run_id").GetString());
        Assert.Equal("db1", root.GetProperty("host").GetString());
        Assert.Equal("/etc/backup.yaml", root.GetProperty("config").GetString());
        Assert.Equal("slack", root.GetProperty("notification").GetString());
        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(12.5, root.GetProperty("duration_seconds").GetDouble());
        Assert.Equal("2026-12-01T03:00:00+00:00", root.GetProperty("started").GetString());
        var artifacts = root.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Equal(2, artifacts.Count);
        Assert.Equal(("home", "data", "ok"), (artifacts[0].GetProperty("source").GetString(), artifacts[0].GetProperty("item").GetString(), artifacts[0].GetProperty("status").GetString()));
        Assert.Equal((4096, 2048), (artifacts[0].GetProperty("raw_size").GetInt64(), artifacts[0].GetProperty("stored_size").GetInt64()));
        Assert.Equal(1.25, artifacts[0].GetProperty("duration_seconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, artifacts[0].GetProperty("error").ValueKind);
        Assert.Equal(("failed", "mysqldump exited 2: Access denied"), (artifacts[1].GetProperty("status").GetString(), artifacts[1].GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData(ArtifactStatus.Ok, "success", 0)]
    [InlineData(ArtifactStatus.Warning, "warning", 0)]
    [InlineData(ArtifactStatus.Locked, "warning", 75)]
    [InlineData(ArtifactStatus.Failed, "failure", 1)]
    [InlineData(ArtifactStatus.StateNotAdvanced, "failure", 1)]
    [InlineData(ArtifactStatus.Interrupted, "failure", 130)]
    public void The_status_and_exit_code_follow_the_worst_artifact(ArtifactStatus worst, string status, int exitCode)
    {
        var artifacts = new[] { Ok("home", "data"), Ok("prod", "shop") with { Status = worst } };

        Assert.Equal(status, NotificationOutcome.StatusOf(artifacts).ToString().ToLowerInvariant());
        Assert.Equal(exitCode, NotificationOutcome.ExitCodeOf(artifacts));
    }

    [Fact]
    public void The_title_names_host_status_and_the_sources_that_failed()
    {
        Assert.Equal("backup on db1: failure (prod, etc failed)",
            EventText.Title(End(Ok("home", "data"), Failed("prod", "shop", "x"), Failed("prod", "crm", "y"), Failed("etc", null, "z"))));
        Assert.Equal("backup on db1: success", EventText.Title(End(Ok("home", "data"))));
        Assert.Equal("backup on db1: warning (home with warnings)",
            EventText.Title(End(Ok("home", "data") with { Status = ArtifactStatus.Warning, Warnings = ["file changed as we read it"] })));
    }

    [Fact]
    public void The_text_is_the_summary_then_each_failure_and_warning()
    {
        var e = End(
            Ok("home", "data") with { Status = ArtifactStatus.Warning, Warnings = ["tar: ./a: file changed as we read it"] },
            Failed("prod", "shop", "mysqldump exited 2")) with { Warnings = ["notifications.hc: not sent (start): HTTP 500"] };

        Assert.Equal(
            """
            0 ok, 1 with warnings, 1 failed, 2.0 KiB stored in 12.5 s
            warning home/data: tar: ./a: file changed as we read it
            FAILED prod/shop: mysqldump exited 2
            warning: notifications.hc: not sent (start): HTTP 500
            """, EventText.Text(e));
    }

    [Fact]
    public void An_artifacts_error_is_masked_by_the_redactor_it_is_built_with()
    {
        var redactor = new Redactor([new Backup.Core.Configuration.Secret("Pa55-w0rd")]);

        var artifact = NotificationEvent.From(Failed("prod", "shop", "login with Pa55-w0rd refused") with { Warnings = ["Pa55-w0rd"] }, redactor.Redact);

        Assert.Equal("login with *** refused", artifact.Error);
        Assert.Equal(["***"], artifact.Warnings);
    }
}
