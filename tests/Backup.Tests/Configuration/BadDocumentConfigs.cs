namespace Backup.Tests.Configuration;

/// <summary>Bad documents: structure, top-level keys, YAML syntax, variables. Rows: what, YAML, path, line, message fragment.</summary>
public static class BadDocumentConfigs
{
    public static TheoryData<string, string, string, int?, string> Cases() => new()
    {
        {
            "no sources at all",
            """
            destinations:
              nas:
                method: local
                path: {tmp}
            """,
            "sources", null, "nothing to back up"
        },
        {
            "empty source sections",
            """
            sources:
              mysqldump:
              directories:
            """,
            "sources", 1, "nothing to back up"
        },
        {
            "a misspelt top-level key",
            """
            sources:
              directories:
                home: { path: /data, temp: "{tmp}" }
            destination:
              nas: { method: local, path: "{tmp}" }
            """,
            "destination", 4, "unknown key (did you mean 'destinations'?)"
        },
        {
            "a misspelt source kind",
            """
            sources:
              mysql:
                prod:
                  temp: {tmp}
            """,
            "sources.mysql", 2, "unknown key (did you mean 'mysqldump'?)"
        },
        {
            "an undefined environment variable",
            """
            sources:
              directories:
                home:
                  path: ${DATA_DIR}
                  temp: {tmp}
            """,
            "sources.directories.home.path", 4, "environment variable 'DATA_DIR' is not set"
        },
        {
            "a duplicate key",
            """
            sources:
              directories:
                home:
                  path: /data
                  temp: {tmp}
                  path: /other
            """,
            "sources.directories.home.path", 6, "duplicate key (first set on line 4)"
        },
        {
            "badly indented YAML",
            """
            sources:
              directories:
                home:
                  path: /data
                 temp: {tmp}
            """,
            "(yaml)", 5, "invalid YAML"
        },
        {
            "an unclosed list",
            """
            sources:
              directories:
                home:
                  path: [/data
                  temp: {tmp}
            """,
            "(yaml)", 4, "check for an unclosed '[', '{' or quote"
        },
        {
            "sources given as a list",
            """
            sources:
              - mysqldump
            """,
            "sources", 2, "expected a mapping, found a list"
        },
        {
            "a list at the top level",
            """
            - sources
            """,
            "(root)", 1, "expected a mapping"
        },
    };
}
