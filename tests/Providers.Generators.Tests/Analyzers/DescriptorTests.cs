using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Providers.Generators.Analyzers;

namespace Providers.Generators.Tests.Analyzers;

public class DescriptorTests
{
    private static readonly DiagnosticAnalyzer[] Analyzers = [new ProviderAnalyzer(), new RetryAnalyzer()];

    public static TheoryData<string> Ids() => new(All().Select(d => d.Id));

    [Fact]
    public void Ids_are_dense_unique_and_all_supported_by_an_analyzer()
    {
        var declared = All().Select(d => d.Id).ToList();
        var supported = Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Enumerable.Range(1, declared.Count).Select(i => $"PRV{i:0000}"), declared);
        Assert.Equal(declared, supported);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_a_help_page_in_the_repository(string id)
    {
        var descriptor = All().Single(d => d.Id == id);

        Assert.Equal($"https://github.com/providers-dotnet/providers/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        var page = Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_a_release_line_with_its_category_and_severity(string id)
    {
        var descriptor = All().Single(d => d.Id == id);
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "Providers.Generators", "AnalyzerReleases.Unshipped.md"));

        var line = Assert.Single(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = line.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_a_title_a_message_and_a_known_category(string id)
    {
        var descriptor = All().Single(d => d.Id == id);

        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()));
        Assert.Contains(descriptor.Category, new[] { "Providers.Usage", "Providers.Retry", "Providers.Settings" });
        Assert.True(descriptor.IsEnabledByDefault);
    }

    private static IEnumerable<DiagnosticDescriptor> All() =>
        typeof(Diagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
