extern alias JsonSchemaNet;

using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Pointer;
using JsonSchemaNet::Json.Schema;

namespace Providers.Tests.Schemas;

/// <summary>
/// The request schemas of OpenAI's published OpenAPI spec (<c>CreateChatCompletionRequest</c>, <c>CreateResponse</c>),
/// vendored in <c>Schemas/openai/openai-requests.schema.json</c> (see the README there), made into JSON Schema 2020-12
/// documents a validator compiles, and a readable list of the places a request body breaks them.
/// </summary>
public static class OpenAiRequestSchemas
{
    private const string Defs = "#/$defs/";
    private const string SpecRefPrefix = "#/components/schemas/";

    private static readonly Lazy<JsonObject> SpecSchemas = new(LoadSpecSchemas);
    private static readonly Lazy<JsonSchema> ChatSchema = new(() => Compile("CreateChatCompletionRequest"));
    private static readonly Lazy<JsonSchema> ResponsesSchema = new(() => Compile("CreateResponse"));

    /// <summary>The body of <c>POST /chat/completions</c>.</summary>
    public static JsonSchema ChatCompletionsRequest => ChatSchema.Value;

    /// <summary>The body of <c>POST /responses</c>.</summary>
    public static JsonSchema ResponsesRequest => ResponsesSchema.Value;

    /// <summary>The commit of github.com/openai/openai-openapi the vendored schemas come from.</summary>
    public static string SpecCommit => (string)LoadDocument()["x-source"]!["commit"]!;

    /// <summary>
    /// Each violation as <c>instance path = value: message (schema path)</c>, empty when <paramref name="body"/>
    /// validates. Only failures on a path of failing schemas count (a union that matched one branch reports nothing),
    /// and of those only the deepest along each instance path: they name the field that is wrong rather than every
    /// alternative its parent did not match.
    /// </summary>
    public static IReadOnlyList<string> Violations(JsonSchema schema, string body)
    {
        var instance = JsonNode.Parse(body);
        // One evaluation of a schema at a time: test classes run in parallel over the same static schemas, and a
        // schema's first evaluation (which builds its keyword state) raced with another once in CI, reporting a
        // forbidden tool_choice as valid.
        EvaluationResults results;
        lock (schema)
        {
            results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        }

        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<(string Instance, string Schema, string Message)>();
        CollectFailures(results, errors);
        var leaves = errors
            .Where(e => !errors.Any(o => o.Instance.Length > e.Instance.Length && o.Instance.StartsWith(e.Instance + "/", StringComparison.Ordinal)))
            .GroupBy(e => (e.Instance, e.Message))
            .Select(g => $"{(g.Key.Instance.Length == 0 ? "/" : g.Key.Instance)} = {ValueAt(instance, g.Key.Instance)}: {g.Key.Message} ({g.First().Schema})")
            .ToList();
        return leaves.Count > 0 ? leaves : ["/: invalid without a reported error"];
    }

    /// <summary>
    /// Collects the errors along failing schemas. Of a union's failing branches, those that fail on the discriminator
    /// (<c>type</c> or <c>role</c> not among their values) are left out when another branch got further: an
    /// <c>input_image</c> missing its <c>detail</c> reports that, not that it is no <c>input_text</c>.
    /// </summary>
    private static void CollectFailures(EvaluationResults node, List<(string Instance, string Schema, string Message)> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add((node.InstanceLocation.ToString(), node.EvaluationPath.ToString(), $"{keyword}: {message}"));
        }

        var failing = node.Details.Where(d => !d.IsValid).ToList();
        var branches = failing.Where(IsUnionBranch).ToList();
        var instance = node.InstanceLocation.ToString();
        var further = branches.Where(b => !FailsOnDiscriminator(b, instance)).ToList();
        foreach (var child in failing.Where(c => !IsUnionBranch(c) || further.Count == 0 || further.Contains(c)))
        {
            CollectFailures(child, errors);
        }
    }

    private static bool IsUnionBranch(EvaluationResults result) =>
        result.EvaluationPath.ToString().Split('/') is { Length: >= 2 } segments && segments[^2] is "anyOf" or "oneOf";

    private static bool FailsOnDiscriminator(EvaluationResults branch, string instance)
    {
        var errors = new List<(string Instance, string Schema, string Message)>();
        CollectAll(branch, errors);
        return errors.Any(e =>
            (e.Instance == instance + "/type" || e.Instance == instance + "/role")
            && (e.Message.StartsWith("enum:", StringComparison.Ordinal) || e.Message.StartsWith("const:", StringComparison.Ordinal)));
    }

    private static void CollectAll(EvaluationResults node, List<(string Instance, string Schema, string Message)> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add((node.InstanceLocation.ToString(), node.EvaluationPath.ToString(), $"{keyword}: {message}"));
        }

        foreach (var child in node.Details)
        {
            CollectAll(child, errors);
        }
    }

    private static string ValueAt(JsonNode? root, string pointer)
    {
        var text = JsonPointer.Parse(pointer).TryEvaluate(root, out var node) ? node?.ToJsonString() ?? "null" : "(absent)";
        return text.Length <= 120 ? text : text[..117] + "...";
    }

    /// <summary>
    /// The spec's schemas, moved from <c>components/schemas</c> to <c>$defs</c> and normalised to 2020-12 (see
    /// <see cref="Normalise"/>), for the document that validates against <paramref name="root"/>.
    /// </summary>
    internal static JsonObject Document(string root) => new()
    {
        ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
        ["$ref"] = Defs + root,
        ["$defs"] = SpecSchemas.Value.DeepClone(),
    };

    private static JsonSchema Compile(string root) => JsonSchema.FromText(Document(root).ToJsonString());

    private static JsonObject LoadDocument() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "openai", "openai-requests.schema.json")))!.AsObject();

    private static JsonObject LoadSpecSchemas()
    {
        var schemas = LoadDocument()["components"]!["schemas"]!.AsObject();
        var normalised = new JsonObject();
        foreach (var (name, schema) in schemas)
        {
            normalised[name] = Normalise(schema!.DeepClone(), name);
        }

        return normalised;
    }

    /// <summary>
    /// Makes one spec schema a 2020-12 schema with the meaning the spec intends:
    /// <list type="bullet">
    /// <item><c>nullable: true</c> (OpenAPI 3.0, still used by the 3.1 spec in places) becomes <c>"null"</c> added to
    /// <c>type</c> (and to <c>enum</c>), or, without a <c>type</c>, an <c>anyOf</c> with <c>{"type":"null"}</c>; a
    /// 2020-12 validator would otherwise ignore the keyword and reject the <c>null</c> the spec allows.</item>
    /// <item><c>$recursiveRef: "#"</c> (2019-09) becomes a <c>$ref</c> to the schema that holds it, the one carrying
    /// <c>$recursiveAnchor</c>.</item>
    /// <item><c>#/components/schemas/X</c> references become <c>#/$defs/X</c>.</item>
    /// <item><c>oneOf</c> becomes <c>anyOf</c>: the spec's unions are OpenAPI unions picked by a <c>discriminator</c>,
    /// and their branches overlap (a user message matches both <c>EasyInputMessage</c> and <c>InputMessage</c>), so
    /// JSON Schema's "exactly one" would reject the requests the API documents as valid.</item>
    /// </list>
    /// </summary>
    internal static JsonNode Normalise(JsonNode node, string definition)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        array[i] = Normalise(item.DeepClone(), definition);
                    }
                }

                return array;
            case JsonObject obj:
                return NormaliseObject(obj, definition);
            default:
                return node;
        }
    }

    private static JsonNode NormaliseObject(JsonObject obj, string definition)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            // Values of these keywords are data or vendor notes, not schemas.
            if (key is "enum" or "const" or "default" or "example" or "examples" or "discriminator" || key.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            if (obj[key] is { } child && child is JsonObject or JsonArray)
            {
                obj[key] = Normalise(child.DeepClone(), definition);
            }
        }

        if (obj["$ref"] is JsonValue reference && ((string?)reference)?.StartsWith(SpecRefPrefix, StringComparison.Ordinal) == true)
        {
            obj["$ref"] = Defs + ((string)reference!)[SpecRefPrefix.Length..];
        }

        if (obj.Remove("$recursiveRef"))
        {
            obj["$ref"] = Defs + definition;
        }

        obj.Remove("$recursiveAnchor");
        if (obj["oneOf"] is { } oneOf)
        {
            obj.Remove("oneOf");
            obj["anyOf"] = oneOf;
        }

        var nullable = obj["nullable"] is JsonValue flag && flag.GetValue<bool>();
        obj.Remove("nullable");
        if (!nullable)
        {
            return obj;
        }

        if (obj["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }

        switch (obj["type"])
        {
            case JsonValue type:
                obj["type"] = new JsonArray((string)type!, "null");
                return obj;
            case JsonArray types:
                if (!types.Any(t => (string?)t == "null"))
                {
                    types.Add("null");
                }

                return obj;
            default:
                return new JsonObject { ["anyOf"] = new JsonArray(obj, new JsonObject { ["type"] = "null" }) };
        }
    }
}
