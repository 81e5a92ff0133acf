namespace Backup.Tests.Configuration;

/// <summary>Bad <c>hooks</c>, under a source and at the top level. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadHookConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "a misspelt hook phase",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks:
                    befor: [[true]]
            """,
            "sources.directories.home.hooks.befor", 7, "unknown key (did you mean 'before'?)"
        },
        {
            "a phase that is one command instead of a list of them",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks:
                    after: { run: true }
            """,
            "sources.directories.home.hooks.after", 7, "expected a list of commands, found a mapping"
        },
        {
            "an empty shell command",
            """
            hooks:
              before:
                - "echo ok"
                - " "
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "hooks.before[1]", 4, "a command must not be empty"
        },
        {
            "an empty argument list",
            """
            hooks:
              on_failure:
                - []
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "hooks.on_failure[0]", 3, "an argument list needs at least the program"
        },
        {
            "an argument that is a list",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks:
                    before:
                      - [tar, [x]]
            """,
            "sources.directories.home.hooks.before[0][1]", 8, "expected a single value, found a list"
        },
        {
            "an empty program",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks:
                    before:
                      - ["", stop]
            """,
            "sources.directories.home.hooks.before[0][0]", 8, "the program must not be empty"
        },
        {
            "a timeout that is no duration",
            """
            hooks:
              timeout: 5 minutes
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "hooks.timeout", 2, "'5 minutes' is not a duration: write 90s, 10m or 1h30m"
        },
        {
            "a zero timeout",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  hooks: { timeout: 0s }
            """,
            "sources.directories.home.hooks.timeout", 6, "'0s' gives a hook no time"
        },
        {
            "hooks that are a list",
            """
            hooks:
              - echo
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            """,
            "hooks", 2, "expected a mapping, found a list"
        },
    };
}
