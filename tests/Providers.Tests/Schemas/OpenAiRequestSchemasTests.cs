using System.Text.Json.Nodes;

namespace Providers.Tests.Schemas;

/// <summary>
/// The validator itself: it accepts what the spec allows (nulls included), rejects what it forbids, and names the
/// field. Without these a schema that accepted everything would make every conformance test pass.
/// </summary>
public class OpenAiRequestSchemasTests
{
    private const string Image = "data:image/png;base64," + RequestConversations.Png;

    [Fact]
    public void The_vendored_spec_names_its_commit()
    {
        Assert.Matches("^[0-9a-f]{40}$", OpenAiRequestSchemas.SpecCommit);
        var defs = OpenAiRequestSchemas.Document("CreateResponse")["$defs"]!.AsObject();
        Assert.True(defs.ContainsKey("CreateChatCompletionRequest"));
        Assert.True(defs.ContainsKey("CreateResponse"));
    }

    [Fact]
    public void A_documented_chat_request_with_nulls_validates()
    {
        // max_completion_tokens, store and audio are "nullable: true" in the spec: valid only once normalised.
        const string body = """
            {"model":"gpt-4.1","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"done"}],
             "max_completion_tokens":null,"store":null,"audio":null,"stream":true,"stream_options":{"include_usage":true}}
            """;
        Assert.Empty(OpenAiRequestSchemas.Violations(OpenAiRequestSchemas.ChatCompletionsRequest, body));
    }

    [Fact]
    public void A_documented_responses_request_validates()
    {
        const string body = $$$"""
            {"model":"gpt-5","instructions":"Be brief.","input":[
              {"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"{{{Image}}}","detail":"auto"}]},
              {"role":"assistant","content":"A pixel."},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Looked."}],"encrypted_content":"abc"},
              {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"done"}],
             "stream":true,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"effort":"low","summary":"auto"},
             "tools":[{"type":"function","name":"f","description":"F.","parameters":{"type":"object","properties":{}},"strict":false}],"tool_choice":"auto"}
            """;
        Assert.Empty(OpenAiRequestSchemas.Violations(OpenAiRequestSchemas.ResponsesRequest, body));
    }

    [Fact]
    public void An_input_image_without_detail_is_reported_at_its_path()
    {
        var body = $$"""{"model":"gpt-4.1","input":[{"role":"user","content":[{"type":"input_text","text":"Hi"},{"type":"input_image","image_url":"{{Image}}"}]}]}""";
        var violation = Assert.Single(OpenAiRequestSchemas.Violations(OpenAiRequestSchemas.ResponsesRequest, body));
        Assert.StartsWith("/input/0/content/1 = ", violation, StringComparison.Ordinal);
        Assert.Contains("required", violation, StringComparison.Ordinal);
        Assert.Contains("\"detail\"", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assistant_item_with_output_text_parts_matches_no_input_item()
    {
        const string body = """{"model":"gpt-4.1","input":[{"role":"assistant","content":[{"type":"output_text","text":"Hi"}]}]}""";
        var violation = Assert.Single(OpenAiRequestSchemas.Violations(OpenAiRequestSchemas.ResponsesRequest, body));
        Assert.StartsWith("/input/0/content/0/type = \"output_text\": enum", violation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"tool","content":"done"}]}""", "/messages/0")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}""", "/messages/0/content/0/image_url")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}],"temperature":3}""", "/temperature")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}],"tool_choice":"sometimes"}""", "/tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "/")]
    public void Chat_requests_the_spec_forbids_are_reported_at_the_field(string body, string path)
    {
        var violations = OpenAiRequestSchemas.Violations(OpenAiRequestSchemas.ChatCompletionsRequest, body);
        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.StartsWith(path + " = ", v, StringComparison.Ordinal));
    }

    [Fact]
    public void Nullable_becomes_a_null_type_or_a_null_branch()
    {
        var typed = OpenAiRequestSchemas.Normalise(JsonNode.Parse("""{"type":"string","enum":["a","b"],"nullable":true}""")!, "X");
        Assert.Equal("""{"type":["string","null"],"enum":["a","b",null]}""", typed.ToJsonString());

        var untyped = OpenAiRequestSchemas.Normalise(JsonNode.Parse("""{"oneOf":[{"type":"string"},{"type":"integer"}],"nullable":true}""")!, "X");
        Assert.Equal("""{"anyOf":[{"anyOf":[{"type":"string"},{"type":"integer"}]},{"type":"null"}]}""", untyped.ToJsonString());

        var notNull = OpenAiRequestSchemas.Normalise(JsonNode.Parse("""{"type":"integer","nullable":false}""")!, "X");
        Assert.Equal("""{"type":"integer"}""", notNull.ToJsonString());
    }

    [Fact]
    public void References_move_to_defs_and_recursive_references_point_at_their_schema()
    {
        var normalised = OpenAiRequestSchemas.Normalise(
            JsonNode.Parse("""{"$recursiveAnchor":true,"properties":{"a":{"$ref":"#/components/schemas/Other"},"b":{"items":{"$recursiveRef":"#"}}}}""")!,
            "CompoundFilter");
        Assert.Equal("""{"properties":{"a":{"$ref":"#/$defs/Other"},"b":{"items":{"$ref":"#/$defs/CompoundFilter"}}}}""", normalised.ToJsonString());
    }
}
