using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// Compares generated text with the checked-in file under Baselines/; fails with a line diff. Run the tests with
/// UPDATE_BASELINES=1 to rewrite the files after an intended change, then review them in the diff of the commit.
/// </summary>
internal static class Baseline
{
    public static void Match(string caseName, string hintName, string actual)
    {
        var relative = Path.Combine("Baselines", caseName, hintName);
        var sourcePath = Path.Combine(ProjectDirectory(), relative);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sourcePath)!);
            File.WriteAllText(sourcePath, actual);
            return;
        }

        Assert.True(File.Exists(sourcePath), $"No baseline {relative}; run the tests with UPDATE_BASELINES=1 to create it.");
        var expected = File.ReadAllText(sourcePath).Replace("\r\n", "\n");
        if (expected == actual)
        {
            return;
        }

        var diff = InlineDiffBuilder.Diff(expected, actual);
        var report = new StringBuilder($"Generated {hintName} differs from {relative} (- baseline, + generated):\n");
        foreach (var line in diff.Lines)
        {
            var prefix = line.Type switch { ChangeType.Inserted => "+ ", ChangeType.Deleted => "- ", _ => "  " };
            if (line.Type != ChangeType.Unchanged)
            {
                report.Append(line.Position?.ToString() ?? "").Append(' ').Append(prefix).AppendLine(line.Text);
            }
        }

        Assert.Fail(report.ToString());
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Providers.Generators.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Providers.Generators.Tests.csproj not found above " + AppContext.BaseDirectory);
    }
}
