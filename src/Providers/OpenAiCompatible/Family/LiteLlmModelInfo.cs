using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.Http;

namespace Providers.OpenAiCompatible;

/// <summary>
/// LiteLLM's model list with prices, <c>GET {proxy}/v1/model/info</c> (docs.litellm.ai, "Model Management"), read once
/// per handler: the proxy knows what each public model name costs, so usage gets a cost without a configured model info.
/// A proxy that does not answer leaves the model without prices; the request itself goes ahead.
/// </summary>
internal sealed class LiteLlmModelInfo(LiteLlmOptions options, string baseUrl)
{
    private Task<LiteLlmModelList?>? _list;

    public async ValueTask<ModelInfo?> FindAsync(string modelName, CancellationToken cancellationToken)
    {
        var list = await (Volatile.Read(ref _list) ?? Interlocked.CompareExchange(ref _list, FetchAsync(), null) ?? _list!).WaitAsync(cancellationToken).ConfigureAwait(false);
        var entry = list?.Data?.FirstOrDefault(e => e.ModelName == modelName)?.ModelInfo;
        return entry is null ? null : ToModelInfo(entry);
    }

    private async Task<LiteLlmModelList?> FetchAsync()
    {
        var root = baseUrl.EndsWith("/v1", StringComparison.Ordinal) ? baseUrl : baseUrl + "/v1";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root + "/model/info"));
        request.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-litellm-api-key", options.ApiKey);
        }

        try
        {
            // Not the caller's token: the list is shared by later requests, so one cancelled request must not poison it.
            using var response = await ProviderHttp.SendAsync(ProviderHttp.ClientFor(options), request, "litellm", options, secrets: [options.ApiKey]).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(body, LiteLlmJsonContext.Default.LiteLlmModelList).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is ProviderException or JsonException or HttpRequestException)
        {
            return null;
        }
    }

    private static ModelInfo ToModelInfo(LiteLlmModelEntryInfo info) => new()
    {
        MaxTokens = info.MaxOutputTokens ?? info.MaxTokens,
        ContextWindow = info.MaxInputTokens,
        SupportsImages = info.SupportsVision ?? false,
        SupportsPromptCache = info.SupportsPromptCaching ?? false,
        SupportsReasoning = info.SupportsReasoning ?? false,
        InputPrice = PerMillion(info.InputCostPerToken),
        OutputPrice = PerMillion(info.OutputCostPerToken),
        CacheWritesPrice = PerMillion(info.CacheCreationInputTokenCost),
        CacheReadsPrice = PerMillion(info.CacheReadInputTokenCost),
    };

    private static decimal? PerMillion(decimal? perToken) => perToken * 1_000_000m;
}

internal sealed class LiteLlmModelList
{
    [JsonPropertyName("data")] public List<LiteLlmModelEntry>? Data { get; init; }
}

internal sealed class LiteLlmModelEntry
{
    [JsonPropertyName("model_name")] public string? ModelName { get; init; }

    [JsonPropertyName("model_info")] public LiteLlmModelEntryInfo? ModelInfo { get; init; }
}

internal sealed class LiteLlmModelEntryInfo
{
    [JsonPropertyName("input_cost_per_token")] public decimal? InputCostPerToken { get; init; }

    [JsonPropertyName("output_cost_per_token")] public decimal? OutputCostPerToken { get; init; }

    [JsonPropertyName("cache_creation_input_token_cost")] public decimal? CacheCreationInputTokenCost { get; init; }

    [JsonPropertyName("cache_read_input_token_cost")] public decimal? CacheReadInputTokenCost { get; init; }

    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    [JsonPropertyName("max_input_tokens")] public int? MaxInputTokens { get; init; }

    [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; init; }

    [JsonPropertyName("supports_vision")] public bool? SupportsVision { get; init; }

    [JsonPropertyName("supports_prompt_caching")] public bool? SupportsPromptCaching { get; init; }

    [JsonPropertyName("supports_reasoning")] public bool? SupportsReasoning { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LiteLlmModelList))]
internal sealed partial class LiteLlmJsonContext : JsonSerializerContext;
