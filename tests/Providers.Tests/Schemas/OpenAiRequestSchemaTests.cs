extern alias JsonSchemaNet;

using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;
using Providers.OpenAi;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;

namespace Providers.Tests.Schemas;

/// <summary>Where the <c>openai</c> provider sends a request; each one is checked against the spec's schema of that endpoint.</summary>
public enum OpenAiTarget
{
    OpenAiChat,
    OpenAiResponses,
    AzureChat,
    AzureResponses,
}

/// <summary>
/// Every multi-turn conversation of <see cref="RequestConversations"/>, sent by the <c>openai</c> provider over loopback
/// to OpenAI and Azure, through Chat Completions and the Responses API, for a plain and a reasoning model; the body the
/// server receives must validate against the request schema of OpenAI's published OpenAPI spec.
/// </summary>
public class OpenAiRequestSchemaTests
{
    private const string ApiKey = "sk-schema-test";

    /// <summary>The shared conversations and the one the exact-body request tests send.</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<ChatMessage>> Conversations =
        RequestConversations.All.Append(KeyValuePair.Create("OpenAiRequestTests", OpenAiRequestTests.Conversation)).ToDictionary();

    public static TheoryData<string, OpenAiTarget, string> ChatCases() => Cases(responses: false, knownViolation: null);

    public static TheoryData<string, OpenAiTarget, string> ResponsesCases() => Cases(responses: true, knownViolation: false);

    public static TheoryData<string, OpenAiTarget, string> ResponsesCasesWithKnownViolations() => Cases(responses: true, knownViolation: true);

    [Theory]
    [MemberData(nameof(ChatCases))]
    public async Task Chat_completions_request_validates_against_the_openapi_schema(string conversation, OpenAiTarget target, string model)
    {
        var body = await CaptureAsync(conversation, target, model);
        AssertValid(OpenAiRequestSchemas.ChatCompletionsRequest, body);
    }

    [Theory]
    [MemberData(nameof(ResponsesCases))]
    public async Task Responses_request_validates_against_the_openapi_schema(string conversation, OpenAiTarget target, string model)
    {
        var body = await CaptureAsync(conversation, target, model);
        AssertValid(OpenAiRequestSchemas.ResponsesRequest, body);
    }

    /// <summary>
    /// The conversations that hit the two known violations: an <c>input_image</c> without the required <c>detail</c>,
    /// and assistant text sent as <c>{"role":"assistant","content":[{"type":"output_text",…}]}</c>, which matches no
    /// input item (<c>EasyInputMessage</c> content takes only input parts or a string; <c>OutputMessage</c> requires
    /// <c>id</c> and <c>status</c>).
    /// </summary>
    [Theory]
    [MemberData(nameof(ResponsesCasesWithKnownViolations))]
    public async Task Responses_request_with_images_or_assistant_text_validates_against_the_openapi_schema(string conversation, OpenAiTarget target, string model)
    {
        var body = await CaptureAsync(conversation, target, model);
        AssertValid(OpenAiRequestSchemas.ResponsesRequest, body);
    }

    [Fact]
    public async Task Requests_go_to_the_endpoint_each_target_names()
    {
        Assert.Equal("/v1/chat/completions", (await CaptureRequestAsync(nameof(RequestConversations.Text), OpenAiTarget.OpenAiChat, "gpt-4.1")).PathAndQuery);
        Assert.Equal("/v1/responses", (await CaptureRequestAsync(nameof(RequestConversations.Text), OpenAiTarget.OpenAiResponses, "gpt-4.1")).PathAndQuery);
        Assert.Equal(
            "/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21",
            (await CaptureRequestAsync(nameof(RequestConversations.Text), OpenAiTarget.AzureChat, "gpt-4.1")).PathAndQuery);
        Assert.Equal(
            "/openai/responses?api-version=2025-04-01-preview",
            (await CaptureRequestAsync(nameof(RequestConversations.Text), OpenAiTarget.AzureResponses, "gpt-4.1")).PathAndQuery);
    }

    private static TheoryData<string, OpenAiTarget, string> Cases(bool responses, bool? knownViolation)
    {
        var data = new TheoryData<string, OpenAiTarget, string>();
        var targets = responses ? new[] { OpenAiTarget.OpenAiResponses, OpenAiTarget.AzureResponses } : [OpenAiTarget.OpenAiChat, OpenAiTarget.AzureChat];
        foreach (var (name, conversation) in Conversations)
        {
            if (knownViolation is { } wanted && HitsAKnownResponsesViolation(conversation) != wanted)
            {
                continue;
            }

            foreach (var target in targets)
            {
                foreach (var model in new[] { "gpt-4.1", "gpt-5" })
                {
                    data.Add(name, target, model);
                }
            }
        }

        return data;
    }

    private static bool HitsAKnownResponsesViolation(IReadOnlyList<ChatMessage> conversation) =>
        conversation.Any(m => m.Role == ChatRole.Assistant && m.Content.OfType<TextBlock>().Any())
        || conversation.Any(m => m.Content.OfType<ImageBlock>().Any() || m.Content.OfType<ToolResultBlock>().Any(r => r.Content.OfType<ImageBlock>().Any()));

    internal static void AssertValid(JsonSchema schema, string body)
    {
        var violations = OpenAiRequestSchemas.Violations(schema, body);
        Assert.True(violations.Count == 0, $"The request violates the OpenAPI schema:\n{string.Join("\n", violations)}\nBody:\n{body}");
    }

    private static async Task<string> CaptureAsync(string conversation, OpenAiTarget target, string model)
    {
        var request = await CaptureRequestAsync(conversation, target, model);
        Assert.Equal("POST", request.Method);
        return request.Body;
    }

    private static async Task<RecordedRequest> CaptureRequestAsync(string conversation, OpenAiTarget target, string model)
    {
        await using var server = await ReplayServer.StartAsync();
        var responses = target is OpenAiTarget.OpenAiResponses or OpenAiTarget.AzureResponses;
        server.Enqueue(responses
            ? Fixtures.TypedEventChunks("openai-responses/azure-text.1.chunks.txt")
            : Fixtures.OpenAiChatChunks("openai-chat/mistral-text.chunks.txt"));
        var azure = target is OpenAiTarget.AzureChat or OpenAiTarget.AzureResponses;
        var options = new OpenAiOptions
        {
            ApiKey = ApiKey,
            ModelId = model,
            UseResponsesApi = responses,

            // The reasoning model also carries an output limit and an effort, so those fields are checked too.
            ReasoningEffort = model == "gpt-5" ? "high" : null,
            ModelInfo = model == "gpt-5" ? new ModelInfo { MaxTokens = 8192, SupportsImages = true } : null,

            // On loopback Azure is recognised by its api-version setting; the default one of each API is used.
            BaseUrl = azure ? server.BaseUri : new Uri(server.BaseUri, "v1"),
            AzureApiVersion = azure ? (responses ? OpenAiEndpoint.DefaultAzureResponsesApiVersion : OpenAiEndpoint.DefaultAzureApiVersion) : null,
        };

        await foreach (var _ in new OpenAiHandler(options).CreateMessageAsync(RequestConversations.SystemPrompt, Conversations[conversation], RequestConversations.Tools))
        {
        }

        var request = Assert.Single(server.Requests);
        Assert.NotNull(JsonNode.Parse(request.Body));
        return request;
    }
}
