using Providers;
namespace Contoso.App;

/// <summary>An application's own provider and the built-in ones, through the one registry generated into the application.</summary>
public class OneRegistryTests
{
    [Fact]
    public void Registry_lists_the_application_provider_and_the_built_in_ones_in_id_order()
    {
        Assert.Equal(
            ["aihubmix", "anthropic", "asksage", "baseten", "bedrock", "cerebras", "chutes", "claude-code", "cline", "deepseek", "dify", "doubao", "fireworks", "gemini", "groq", "hicap", "huawei-cloud-maas", "huggingface", "litellm", "lmstudio", "minimax", "mistral", "moonshot", "nebius", "nousresearch", "oca", "ollama", "openai", "openai-codex", "openai-native", "openrouter", "poolside", "qwen", "qwen-code", "requesty", "sambanova", "sapaicore", "team-gateway", "tencent-tokenhub", "together", "v0", "vercel-ai-gateway", "vertex", "wandb", "xai", "xiaomi", "zai", "zai-coding-plan"],
            ProviderRegistry.ProviderIds);
        Assert.Equal(ProviderRegistry.ProviderIds, ProviderRegistry.Providers.Select(p => p.Id));
    }

    [Fact]
    public async Task Application_provider_is_created_from_settings_and_streams_through_its_generated_retry()
    {
        var settings = ProviderSettings.Parse("""{ "planModeApiProvider": "team-gateway", "teamGatewayApiKey": "k", "planModeTeamGatewayModelId": "gw-large" }""");

        var handler = ProviderRegistry.Build(settings, Mode.Plan);

        var chunks = new List<ApiStreamChunk>();
        await foreach (var chunk in handler.CreateMessageAsync("system", [ChatMessage.User("hello")]))
        {
            chunks.Add(chunk);
        }

        Assert.Equal([new TextChunk("gw-large heard 1 message(s)"), new UsageChunk(3, 5)], chunks);
    }

    [Fact]
    public void Built_in_provider_is_created_from_the_same_settings_file()
    {
        var settings = ProviderSettings.Parse("""
            {
              "planModeApiProvider": "team-gateway",
              "actModeApiProvider": "ollama",
              "teamGatewayApiKey": "k",
              "ollamaBaseUrl": "http://127.0.0.1:11434",
              "actModeOllamaModelId": "qwen3:8b"
            }
            """);

        var handler = ProviderRegistry.Build(settings, Mode.Act);

        Assert.Equal("Providers.Ollama.OllamaHandler", handler.GetType().FullName);
        Assert.Equal("qwen3:8b", handler.GetModel().Id);
    }

    [Fact]
    public void Built_in_settings_keys_are_the_original_ones()
    {
        string[] Keys(string id) => ProviderRegistry.Find(id)!.AllKeys.ToArray();

        Assert.Superset(new HashSet<string>(["ollamaBaseUrl", "ollamaApiKey", "planModeOllamaModelId", "actModeOllamaModelId", "ollamaApiOptionsCtxNum", "requestTimeoutMs"]), Keys("ollama").ToHashSet());
        Assert.Superset(new HashSet<string>(["apiKey", "anthropicBaseUrl", "planModeApiModelId", "actModeApiModelId", "planModeThinkingBudgetTokens"]), Keys("anthropic").ToHashSet());
        Assert.Superset(new HashSet<string>(["openAiApiKey", "openAiBaseUrl", "openAiHeaders", "azureApiVersion", "planModeOpenAiModelId", "planModeReasoningEffort"]), Keys("openai").ToHashSet());
        Assert.Superset(new HashSet<string>(["openRouterApiKey", "planModeOpenRouterModelId"]), Keys("openrouter").ToHashSet());
    }

    [Fact]
    public void A_missing_key_of_the_application_provider_fails_before_any_request()
    {
        var settings = ProviderSettings.Parse("""{ "planModeApiProvider": "team-gateway" }""");

        var error = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Build(settings, Mode.Plan));

        Assert.Equal(["teamGatewayApiKey"], error.Keys);
    }

    [Fact]
    public void The_registry_instance_is_the_same_registry_behind_an_interface()
    {
        IProviderRegistry registry = ProviderRegistry.Instance;

        Assert.Same(ProviderRegistry.ProviderIds, registry.ProviderIds);
        Assert.Same(ProviderRegistry.Providers, registry.Providers);
        Assert.Same(ProviderRegistry.Find("ollama"), registry.Find(" Ollama "));
        Assert.Null(registry.Find("olama"));
        var handler = registry.Create("TEAM-GATEWAY", ProviderSettings.Parse("""{ "teamGatewayApiKey": "k", "actModeTeamGatewayModelId": "gw-small" }"""), Mode.Act);
        Assert.Equal("gw-small", handler.GetModel().Id);
    }

    [Fact]
    public void Build_names_the_mode_key_when_it_is_missing_or_names_no_provider()
    {
        var missing = Assert.Throws<ProviderConfigurationException>(() => ProviderRegistry.Instance.Build(ProviderSettings.Empty, Mode.Act));
        var unknown = Assert.Throws<UnknownProviderException>(() => ProviderRegistry.Build(ProviderSettings.Parse("""{ "actModeApiProvider": "olama" }"""), Mode.Act));
        var direct = Assert.Throws<UnknownProviderException>(() => ProviderRegistry.Create("olama", ProviderSettings.Empty, Mode.Act));

        Assert.Equal(["actModeApiProvider"], missing.Keys);
        Assert.Contains("missing: name the provider to use in Act mode, one of: " + string.Join(", ", ProviderRegistry.ProviderIds), missing.Message, StringComparison.Ordinal);
        Assert.Equal(["actModeApiProvider"], unknown.Keys);
        Assert.Contains("Unknown provider 'olama' (from setting 'actModeApiProvider')", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderRegistry.ProviderIds, unknown.KnownIds);
        Assert.Equal(["provider"], direct.Keys);
    }
}
