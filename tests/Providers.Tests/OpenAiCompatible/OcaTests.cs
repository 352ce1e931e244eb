using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Providers.OpenAiCompatible;
using Providers.Tests.OpenAi;
using Providers.Tests.Replay;
using static Providers.Tests.OpenAi.OpenAiTestKit;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// The <c>oca</c> provider's quirks beyond the family matrix (<see cref="FamilyTests"/> runs it through replay, faults and
/// the round trip): the headers and body fields Cline's Oracle Code Assist handler sends, from its source at commit
/// 9ee618111d, against a real server on 127.0.0.1.
/// </summary>
public class OcaTests
{
    private const string Token = "oca-access-token-SECRET-42";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [new("read_file", "Reads a file", JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"}}}""").RootElement.Clone())];

    private static async Task<RecordedRequest> SendAsync(Action<OcaOptions> configure, IReadOnlyList<ChatMessage>? messages = null)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("oca/litellm-reasoning-text.sse"));
        var options = new OcaOptions { ApiKey = Token, BaseUrl = new Uri(server.BaseUri, "20250206/app/litellm"), TimeProvider = new FakeTimeProvider(Now) };
        configure(options);
        await CollectAsync(new OcaHandler(options).CreateMessageAsync("sys", messages ?? [ChatMessage.User("Hi")], Tools));
        return Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Sends_the_token_as_bearer_with_the_OCA_client_headers_and_a_fresh_opc_request_id()
    {
        var request = await SendAsync(o => o.TaskId = "01JDTASK");

        Assert.Equal(("POST", "/20250206/app/litellm/chat/completions"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Token, request.Headers["Authorization"]);
        Assert.Equal("Cline", request.Headers["client"]);
        Assert.Equal("unknown", request.Headers["client-ide"]);
        Assert.Equal("unknown", request.Headers["client-ide-version"]);
        Assert.Matches(@"^\d+\.\d+", request.Headers["client-version"]);

        // token hash (8) + task hash (8) + Unix seconds (8) + random (8), as Cline composes it.
        var id = request.Headers["opc-request-id"];
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(Hash8(Token), id[..8]);
        Assert.Equal(Hash8("01JDTASK"), id[8..16]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString("x8", System.Globalization.CultureInfo.InvariantCulture), id[16..24]);
        Assert.DoesNotContain(Token, string.Join(" ", request.Headers.Where(h => h.Key != "Authorization").Select(h => h.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_request_is_chat_completions_at_temperature_0_with_tools()
    {
        var request = await SendAsync(_ => { });

        OpenAiRequestTests.AssertJson(
            """
            {"model":"anthropic/claude-3-7-sonnet-20250219","messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "temperature":0,"stream":true,"stream_options":{"include_usage":true},
             "tools":[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}],
             "tool_choice":"auto"}
            """,
            request.Body);
    }

    [Fact]
    public async Task The_configured_model_info_shapes_the_request_as_Cline_sends_it()
    {
        var request = await SendAsync(o =>
        {
            o.ModelId = "oca/gpt-5";
            o.ModelInfo = new ModelInfo { MaxTokens = 16000, Temperature = 0.3, SupportsPromptCache = true, SupportsReasoningEffort = true };
            o.ReasoningEffort = "High";
            o.ThinkingBudgetTokens = 2048;
            o.TaskId = "01JDTASK";
        });

        // Both output limits, the effort, Anthropic-style thinking, LiteLLM's session id and cache breakpoints.
        OpenAiRequestTests.AssertJson(
            """
            {"model":"oca/gpt-5","messages":[
              {"role":"system","content":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}],
             "temperature":0.3,"max_tokens":16000,"max_completion_tokens":16000,"reasoning_effort":"high",
             "stream":true,"stream_options":{"include_usage":true},
             "tools":[{"type":"function","function":{"name":"read_file","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}}],
             "tool_choice":"auto",
             "thinking":{"type":"enabled","budget_tokens":2048},"litellm_session_id":"cline-01JDTASK"}
            """,
            request.Body);
    }

    [Fact]
    public async Task A_thinking_o_mini_model_gets_no_temperature_and_the_default_effort()
    {
        var request = await SendAsync(o =>
        {
            o.ModelId = "openai/o4-mini";
            o.ModelInfo = new ModelInfo { SupportsReasoningEffort = true };
            o.ThinkingBudgetTokens = 1024;
        });

        using var body = JsonDocument.Parse(request.Body);
        Assert.False(body.RootElement.TryGetProperty("temperature", out _));
        Assert.Equal("medium", body.RootElement.GetProperty("reasoning_effort").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Replays_LiteLLMs_reasoning_content_text_and_usage_exactly(bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("oca/litellm-reasoning-text.sse").MaybeOneByte(oneByte));
        var handler = new OcaHandler(new OcaOptions { ApiKey = Token, BaseUrl = server.BaseUri });

        var chunks = await CollectAsync(handler.CreateMessageAsync("sys", [ChatMessage.User("Hi")]));

        Assert.Equal(
            [
                new ReasoningChunk("Greeting back."),
                new TextChunk("Hello"),
                new TextChunk(" there."),

                // 1200 prompt tokens, 1000 of them read from the cache; OCA's prices are not known here, so no cost.
                new UsageChunk(200, 5, 1000, null, null, 0m),
            ],
            chunks);
    }

    [Fact]
    public void The_mode_picks_Oracles_internal_or_external_endpoint_and_the_base_url_replaces_both()
    {
        Assert.Equal(
            "https://code-internal.aiservice.us-chicago-1.oci.oraclecloud.com/20250206/app/litellm",
            new OcaHandler(new OcaOptions { ApiKey = Token }).BaseUrl());
        Assert.Equal(
            "https://code.aiservice.us-chicago-1.oci.oraclecloud.com/20250206/app/litellm",
            new OcaHandler(new OcaOptions { ApiKey = Token, OcaMode = "external" }).BaseUrl());
        Assert.Equal(
            "https://oca.example.test/litellm",
            new OcaHandler(new OcaOptions { ApiKey = Token, OcaMode = "external", BaseUrl = new Uri("https://oca.example.test/litellm/") }).BaseUrl());
    }

    [Fact]
    public void Cline_settings_bind_and_a_missing_token_names_ocaApiKey_and_the_sign_in()
    {
        var handler = ProviderRegistry.Build(ProviderSettings.Parse("""
            {"planModeApiProvider":"oca","ocaApiKey":"t0ken-value","ocaMode":"external","planModeOcaModelId":"oca/llama4",
             "planModeOcaModelInfo":{"maxTokens":4096,"contextWindow":128000,"supportsReasoningEffort":true},"planModeOcaReasoningEffort":"low"}
            """), Mode.Plan);
        Assert.Equal("oca/llama4", handler.GetModel().Id);
        Assert.Equal(4096, handler.GetModel().Info.MaxTokens);

        var error = Assert.ThrowsAny<ProviderConfigurationException>(
            () => ProviderRegistry.Build(ProviderSettings.Parse("""{"actModeApiProvider":"oca","actModeOcaModelId":"oca/llama4"}"""), Mode.Act));
        Assert.Contains("ocaApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("IDCS", error.Message, StringComparison.Ordinal);
    }

    private static string Hash8(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 4));
}
