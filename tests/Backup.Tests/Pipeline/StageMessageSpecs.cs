using Backup.Core.Destinations;
using Backup.Core.Pipeline;
using Backup.Tests.Destinations;
using Backup.Tests.Support;

namespace Backup.Tests.Pipeline;

/// <summary>A failure message names each place once.</summary>
public sealed class StageMessageSpecs : IDisposable
{
    private readonly TempDir _dir = new("stage-messages");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("upload to s3-main", "destinations.s3-main: cannot write x", "upload to s3-main: cannot write x")]
    [InlineData("upload to sources.mysqldump.tf.temp", "sources.mysqldump.tf.temp: cannot write x", "upload to sources.mysqldump.tf.temp: cannot write x")]
    [InlineData("upload to nas", "disk full", "upload to nas: disk full")]
    [InlineData("tar", "tar failed with exit 2", "tar: tar failed with exit 2")]
    public void The_stage_and_its_cause_do_not_repeat_a_name(string stage, string cause, string expected)
    {
        Assert.Equal(expected, new StageFailedException(stage, new Backup.Core.BackupException(cause)).Message);
    }

    [Fact]
    public async Task A_temp_folder_that_cannot_be_written_is_named_by_its_yaml_path_once()
    {
        var blocker = _dir.Write("not-a-dir", "a file where a folder should be");
        var temp = new LocalDestination("sources.mysqldump.tf.temp", blocker, where: "sources.mysqldump.tf.temp");

        var e = await Assert.ThrowsAsync<Backup.Core.BackupException>(() =>
            temp.UploadAsync("db.sql", new UnknownLengthStream([1]), CancellationToken.None));
        var message = new StageFailedException("upload to sources.mysqldump.tf.temp", e).Message;

        Assert.StartsWith("upload to sources.mysqldump.tf.temp: cannot create", message);
        Assert.DoesNotContain("destinations.", message);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "sources\\.mysqldump\\.tf\\.temp"));
    }
}
