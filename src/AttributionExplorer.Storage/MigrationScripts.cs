using System.Reflection;

namespace AttributionExplorer.Storage;

/// <summary>A back end's migration scripts: its embedded Migrations/*.sql, in file-name (number) order.</summary>
internal static class MigrationScripts
{
    public static IReadOnlyList<string> Of(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.") && n.EndsWith(".sql"))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            })
            .ToArray();
}
