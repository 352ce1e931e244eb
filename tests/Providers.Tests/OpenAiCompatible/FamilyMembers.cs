using System.Text.Json.Nodes;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// One member of the OpenAI-compatible family as a Cline settings file names it: its id, the key of its API key, the
/// key that moves its base URL (and what to append to the test server's root), the path requests then reach, the
/// model a request carries, and the temperature the member sends.
/// </summary>
public sealed record FamilyMember(
    string Id,
    string? ApiKeyKey,
    string BaseUrlKey,
    string BaseUrlSuffix,
    string Path,
    string Model,
    double? Temperature,
    string? ModelKey = null,
    (string Key, string Json)? ModelInfo = null)
{
    public const string Key = "sk-test-SECRET-0123456789";

    /// <summary>The settings of this member with its base URL pointed at <paramref name="server"/>.</summary>
    public ProviderSettings Settings(Uri server, params (string Key, string Value)[] extra)
    {
        var json = new JsonObject { ["actModeApiProvider"] = Id, ["planModeApiProvider"] = Id, [BaseUrlKey] = new Uri(server, BaseUrlSuffix).ToString() };
        if (ApiKeyKey is not null)
        {
            json[ApiKeyKey] = Key;
        }

        if (ModelKey is not null)
        {
            json[ModelKey] = Model;
        }

        if (ModelInfo is { } info)
        {
            json[info.Key] = JsonNode.Parse(info.Json);
        }

        foreach (var (key, value) in extra)
        {
            json[key] = value;
        }

        return ProviderSettings.Parse(json.ToJsonString());
    }

    public override string ToString() => Id;

    /// <summary>Every Chat Completions member, with Cline's keys and each provider's documented defaults.</summary>
    public static readonly IReadOnlyList<FamilyMember> All =
    [
        new("deepseek", "deepSeekApiKey", "deepSeekBaseUrl", "v1", "/v1/chat/completions", "deepseek-chat", 0),
        new("xai", "xaiApiKey", "xaiBaseUrl", "v1", "/v1/chat/completions", "grok-4", 0),
        new("groq", "groqApiKey", "groqBaseUrl", "openai/v1", "/openai/v1/chat/completions", "moonshotai/kimi-k2-instruct-0905", 0),
        new("mistral", "mistralApiKey", "mistralBaseUrl", "v1", "/v1/chat/completions", "devstral-2512", 0),
        new("lmstudio", null, "lmStudioBaseUrl", "", "/api/v0/chat/completions", "qwen2.5-coder-7b-instruct", null, "actModeLmStudioModelId"),
        new("litellm", "liteLlmApiKey", "liteLlmBaseUrl", "", "/chat/completions", "anthropic/claude-3-7-sonnet-20250219", 1,
            // A configured model info, so the proxy is not asked for its model list (LiteLlmTests covers that).
            ModelInfo: ("actModeLiteLlmModelInfo", """{"contextWindow":200000,"inputPrice":3,"outputPrice":15,"cacheReadsPrice":0.3}""")),
        new("together", "togetherApiKey", "togetherBaseUrl", "v1", "/v1/chat/completions", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0, "actModeTogetherModelId"),
        new("fireworks", "fireworksApiKey", "fireworksBaseUrl", "inference/v1", "/inference/v1/chat/completions", "accounts/fireworks/models/kimi-k2p5", 0),
        new("cerebras", "cerebrasApiKey", "cerebrasBaseUrl", "v1", "/v1/chat/completions", "zai-glm-4.7", 0),
        new("sambanova", "sambanovaApiKey", "sambanovaBaseUrl", "v1", "/v1/chat/completions", "Meta-Llama-3.3-70B-Instruct", 0),
        new("nebius", "nebiusApiKey", "nebiusBaseUrl", "v1", "/v1/chat/completions", "Qwen/Qwen2.5-32B-Instruct-fast", 0),
        new("huggingface", "huggingFaceApiKey", "huggingFaceBaseUrl", "v1", "/v1/chat/completions", "moonshotai/Kimi-K2-Instruct", 0),
        new("requesty", "requestyApiKey", "requestyBaseUrl", "v1", "/v1/chat/completions", "anthropic/claude-3-7-sonnet-latest", 0),
        new("moonshot", "moonshotApiKey", "moonshotBaseUrl", "v1", "/v1/chat/completions", "kimi-k2-0905-preview", 0.6),
        new("qwen", "qwenApiKey", "qwenBaseUrl", "compatible-mode/v1", "/compatible-mode/v1/chat/completions", "qwen3-235b-a22b", 0),
        new("doubao", "doubaoApiKey", "doubaoBaseUrl", "api/v3", "/api/v3/chat/completions", "doubao-1-5-pro-256k-250115", 0),
        new("zai", "zaiApiKey", "zaiBaseUrl", "api/paas/v4", "/api/paas/v4/chat/completions", "glm-5.1", null),
        new("baseten", "basetenApiKey", "basetenBaseUrl", "v1", "/v1/chat/completions", "zai-org/GLM-4.6", 0),
        new("vercel-ai-gateway", "vercelAiGatewayApiKey", "vercelAiGatewayBaseUrl", "v1", "/v1/chat/completions", "anthropic/claude-sonnet-4.5", 0),
        new("huawei-cloud-maas", "huaweiCloudMaasApiKey", "huaweiCloudMaasBaseUrl", "v1", "/v1/chat/completions", "DeepSeek-V3", 0),
        new("aihubmix", "aihubmixApiKey", "aihubmixBaseUrl", "", "/v1/chat/completions", "gpt-4o-mini", 0),
        new("minimax", "minimaxApiKey", "minimaxBaseUrl", "v1", "/v1/chat/completions", "MiniMax-M2.7", 1),
        new("hicap", "hicapApiKey", "hicapBaseUrl", "v2/openai", "/v2/openai/chat/completions", "gpt-4.1", 1, "actModeHicapModelId"),
        // Cline spells the id nousResearch; ids are matched ignoring case.
        new("nousResearch", "nousResearchApiKey", "nousResearchBaseUrl", "v1", "/v1/chat/completions", "Hermes-4-405B", 0),
        new("wandb", "wandbApiKey", "wandbBaseUrl", "v1", "/v1/chat/completions", "meta-llama/Llama-3.3-70B-Instruct", 0),
        new("chutes", "chutesApiKey", "chutesBaseUrl", "v1", "/v1/chat/completions", "Qwen/Qwen3.8-27B-TEE", 0),
        new("poolside", "poolsideApiKey", "poolsideBaseUrl", "v1", "/v1/chat/completions", "poolside/laguna-s-2.1", 0),
        new("v0", "v0ApiKey", "v0BaseUrl", "v1", "/v1/chat/completions", "v0-1.5-lg", 0),
        new("xiaomi", "xiaomiApiKey", "xiaomiBaseUrl", "v1", "/v1/chat/completions", "mimo-v2.5-pro-ultraspeed", 0),
        new("tencent-tokenhub", "tencentTokenhubApiKey", "tencentTokenhubBaseUrl", "v1", "/v1/chat/completions", "hy3", 0),
        new("zai-coding-plan", "zaiCodingPlanApiKey", "zaiCodingPlanBaseUrl", "api/coding/paas/v4", "/api/coding/paas/v4/chat/completions", "glm-5.3", 0),
        // Oracle Code Assist: the token Cline's IDCS sign-in stores under ocaApiKey, a LiteLLM path at the base URL.
        new("oca", "ocaApiKey", "ocaBaseUrl", "20250206/app/litellm", "/20250206/app/litellm/chat/completions", "anthropic/claude-3-7-sonnet-20250219", 0),
    ];

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var member in All)
        {
            data.Add(member.Id);
        }

        return data;
    }

    public static TheoryData<string, bool> IdsAtBothBoundaries()
    {
        var data = new TheoryData<string, bool>();
        foreach (var member in All)
        {
            data.Add(member.Id, false);
            data.Add(member.Id, true);
        }

        return data;
    }

    public static FamilyMember Get(string id) => All.Single(m => m.Id == id);
}
