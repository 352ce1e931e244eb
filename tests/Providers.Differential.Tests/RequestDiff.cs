using System.Text.Json.Nodes;

namespace Providers.Differential.Tests;

/// <summary>
/// Field-by-field comparison of two request bodies after parsing: every place they differ, as
/// <c>path: sdk=… ours=…</c>, with <c>(absent)</c> for a field only one side sends. Objects compare by name (order is
/// free in JSON), arrays by position.
/// </summary>
public static class RequestDiff
{
    public const string Absent = "(absent)";

    public static List<string> Between(string sdkBody, string ourBody)
    {
        var differences = new List<string>();
        Compare(JsonNode.Parse(sdkBody), JsonNode.Parse(ourBody), "", differences);
        return differences;
    }

    /// <summary>Fails with both lists and both bodies when the differences are not exactly the expected ones.</summary>
    public static void AssertOnly(IReadOnlyList<string> expected, string sdkBody, string ourBody)
    {
        var actual = Between(sdkBody, ourBody);
        Assert.True(
            expected.SequenceEqual(actual, StringComparer.Ordinal),
            $"Expected differences:\n  {string.Join("\n  ", expected)}\nActual differences:\n  {string.Join("\n  ", actual)}\nSDK body:\n{sdkBody}\nOur body:\n{ourBody}");
    }

    private static void Compare(JsonNode? sdk, JsonNode? ours, string path, List<string> differences)
    {
        switch (sdk, ours)
        {
            case (JsonObject a, JsonObject b):
                foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var inA = a.TryGetPropertyValue(name, out var va);
                    var inB = b.TryGetPropertyValue(name, out var vb);
                    var child = path + "/" + name;
                    if (inA && inB)
                    {
                        Compare(va, vb, child, differences);
                    }
                    else
                    {
                        differences.Add($"{child}: sdk={(inA ? Show(va) : Absent)} ours={(inB ? Show(vb) : Absent)}");
                    }
                }

                break;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    var child = path + "/" + i;
                    if (i < a.Count && i < b.Count)
                    {
                        Compare(a[i], b[i], child, differences);
                    }
                    else
                    {
                        differences.Add($"{child}: sdk={(i < a.Count ? Show(a[i]) : Absent)} ours={(i < b.Count ? Show(b[i]) : Absent)}");
                    }
                }

                break;
            default:
                if (!JsonNode.DeepEquals(sdk, ours))
                {
                    differences.Add($"{(path.Length == 0 ? "/" : path)}: sdk={Show(sdk)} ours={Show(ours)}");
                }

                break;
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
