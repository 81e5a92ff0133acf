using System.Text.Json;

namespace Backup.IntegrationTests.Support;

/// <summary>
/// What makes two PostgreSQL databases "the same" for the round-trip specs, read from the catalogs
/// and the data by the real psql: the objects (schemas, tables and their columns, partitions,
/// indexes, constraints, views and materialized views with their definitions, sequences with their
/// last values, functions and procedures with their bodies, triggers, enum, domain and composite
/// types, comments, extensions), who owns them and their privileges, and per table (partitions and
/// materialized views included) the row count and an MD5 of all rows as text, in one fixed order.
/// Ownership is kept apart, because a restore with <c>--no-owner</c> keeps everything else.
/// </summary>
public sealed record PgFingerprint(
    IReadOnlyList<string> Objects, IReadOnlyList<string> Ownership, IReadOnlyDictionary<string, string> Tables)
{
    // Objects of the user's schemas only.
    private const string UserSchema =
        "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    // Each section one line: its name, a tab, a JSON array of strings, sorted bytewise.
    private static readonly (string Section, bool Ownership, string Query)[] Sections =
    [
        ("schemas", false, $"SELECT n.nspname FROM pg_namespace n WHERE {UserSchema}"),
        ("relations", false,
            "SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname" +
            " || CASE WHEN c.relispartition THEN ' partition ' || pg_get_expr(c.relpartbound, c.oid) ELSE '' END" +
            " || CASE WHEN c.relkind = 'p' THEN ' by ' || pg_get_partkeydef(c.oid) ELSE '' END" +
            " || CASE WHEN c.relkind IN ('v', 'm') THEN ' as ' || pg_get_viewdef(c.oid) ELSE '' END" +
            " || CASE WHEN c.relkind = 'm' THEN ' populated ' || c.relispopulated ELSE '' END" +
            " || CASE WHEN c.relkind IN ('i', 'I') THEN ' ' || pg_get_indexdef(c.oid) ELSE '' END" +
            $" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserSchema} AND c.relkind <> 't'"),
        ("columns", false,
            "SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)" +
            " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || ' identity:' || a.attidentity::text || ' generated:' || a.attgenerated::text" +
            " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || ' #' || a.attnum" +
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace" +
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum" +
            $" WHERE {UserSchema} AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')"),
        ("constraints", false,
            "SELECT coalesce(cn.nspname || '.' || c.relname, tn.nspname || '.' || t.typname) || ' ' || co.conname || ' ' || co.contype::text" +
            " || ' ' || pg_get_constraintdef(co.oid)" +
            " FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace" +
            " LEFT JOIN pg_class c ON c.oid = co.conrelid LEFT JOIN pg_namespace cn ON cn.oid = c.relnamespace" +
            " LEFT JOIN pg_type t ON t.oid = co.contypid LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace" +
            $" WHERE {UserSchema}"),
        ("sequences", false,
            "SELECT schemaname || '.' || sequencename || ' ' || data_type || ' start ' || start_value || ' by ' || increment_by" +
            " || ' min ' || min_value || ' max ' || max_value || ' cycle ' || cycle || ' last ' || coalesce(last_value::text, 'none')" +
            " FROM pg_sequences"),
        ("functions", false,
            "SELECT p.prokind::text || ' ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'" +
            " || coalesce(' returns ' || pg_get_function_result(p.oid), '') || ' ' || l.lanname || ' ' || p.provolatile::text" +
            " || ' body ' || md5(coalesce(p.prosrc, ''))" +
            " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang" +
            $" WHERE {UserSchema}"),
        ("triggers", false,
            "SELECT pg_get_triggerdef(t.oid) || ' enabled ' || t.tgenabled::text FROM pg_trigger t" +
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace" +
            $" WHERE {UserSchema} AND NOT t.tgisinternal"),
        ("types", false,
            "SELECT t.typtype::text || ' ' || n.nspname || '.' || t.typname || ' ' || CASE t.typtype" +
            " WHEN 'e' THEN (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)" +
            " WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || ' not null ' || t.typnotnull || coalesce(' default ' || t.typdefault, '')" +
            " ELSE '' END" +
            " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid" +
            $" WHERE {UserSchema} AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND c.relkind = 'c'))"),
        ("comments", false,
            "SELECT d.objoid::regclass::text || ' ' || d.objsubid || ' ' || d.description FROM pg_description d" +
            " JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace" +
            $" WHERE d.classoid = 'pg_class'::regclass AND {UserSchema}"),
        ("extensions", false, "SELECT extname || ' ' || extversion FROM pg_extension"),
        ("owners", true,
            $"SELECT 'schema ' || n.nspname || ' ' || pg_get_userbyid(n.nspowner) || ' ' || coalesce(n.nspacl::text, '') FROM pg_namespace n WHERE {UserSchema}" +
            " UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, '')" +
            $" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserSchema} AND c.relkind NOT IN ('t', 'i', 'I')" +
            " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname || ' ' || pg_get_userbyid(p.proowner) FROM pg_proc p" +
            $" JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {UserSchema}" +
            " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || pg_get_userbyid(t.typowner) FROM pg_type t" +
            $" JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {UserSchema} AND t.typtype IN ('e', 'd', 'c')"),
    ];

    /// <summary>
    /// Every table's (and materialized view's) name, row count and MD5 of its rows as text in bytewise
    /// order, by psql's <c>\gexec</c>: one query per table, generated from the catalog.
    /// </summary>
    private static readonly string TableQuery =
        "SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text COLLATE \"C\"), '''')) FROM %I.%I t'," +
        " n.nspname || '.' || c.relname, n.nspname, c.relname)" +
        $" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserSchema} AND c.relkind IN ('r', 'm')" +
        " ORDER BY n.nspname, c.relname \\gexec\n";

    public static async Task<PgFingerprint> OfAsync(PostgreSqlServer server, string database)
    {
        var script = string.Concat(Sections.Select(s =>
            $"SELECT '{s.Section}', coalesce(jsonb_agg(x ORDER BY x COLLATE \"C\"), '[]')::text FROM ({s.Query}) AS q(x);\n"));
        var objects = new List<string>();
        var ownership = new List<string>();
        foreach (var line in (await server.SqlAsync(script, database)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            var section = line[..tab];
            var target = Sections.Single(s => s.Section == section).Ownership ? ownership : objects;
            target.AddRange(JsonSerializer.Deserialize<string[]>(line[(tab + 1)..])!.Select(entry => $"{section}: {entry}"));
        }

        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (await server.SqlAsync(TableQuery, database)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            tables[fields[0]] = $"{fields[1]} rows, md5 {fields[2]}";
        }

        return new PgFingerprint(objects, ownership, tables);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> has the same objects and data as this fingerprint (and
    /// the same owners and privileges when <paramref name="ownership"/>), naming what differs.
    /// </summary>
    public void AssertSame(PgFingerprint actual, bool ownership = true)
    {
        Assert.NotEmpty(Tables);
        Assert.Equal(Tables, actual.Tables);
        Assert.Equal(Objects, actual.Objects);
        if (ownership)
            Assert.Equal(Ownership, actual.Ownership);
    }
}
