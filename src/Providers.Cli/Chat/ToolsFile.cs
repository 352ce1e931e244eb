using System.Text.Json;
using Providers.Cli.CommandLine;

namespace Providers.Cli.Chat;

/// <summary>Reads <c>--tools FILE</c>: a JSON array of <c>{"name", "description", "input_schema"}</c> objects.</summary>
internal static class ToolsFile
{
    /// <exception cref="UsageException">The file is unreadable or not such an array; the message says which entry and field.</exception>
    public static IReadOnlyList<ToolDefinition> Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the tools file '{path}': {ex.Message}");
        }

        try
        {
            return Parse(json, path);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"the tools file '{path}' is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).");
        }
    }

    public static IReadOnlyList<ToolDefinition> Parse(string json, string path)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, "must be a JSON array of {\"name\", \"description\", \"input_schema\"} objects");
        }

        var tools = new List<ToolDefinition>();
        var index = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, $"entry {index} is not an object");
            }

            var name = StringField(entry, "name", path, index);
            var description = entry.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            if (!entry.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, $"entry {index} ('{name}') needs \"input_schema\": a JSON schema object such as {{\"type\": \"object\", \"properties\": {{}}}}");
            }

            tools.Add(new ToolDefinition(name, description, schema.Clone()));
            index++;
        }

        return tools;
    }

    private static string StringField(JsonElement entry, string field, string path, int index) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Bad(path, $"entry {index} needs \"{field}\": a non-empty string");

    private static UsageException Bad(string path, string problem) => new($"the tools file '{path}' {problem}.");
}
