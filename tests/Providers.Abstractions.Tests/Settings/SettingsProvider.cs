using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Providers.Abstractions.Tests.Settings;

public enum Effort
{
    Low,
    Medium,
    High,
}

public sealed class AcmeOptions : ProviderOptions
{
    [Required]
    public string ApiKey { get; set; } = "";

    [PerMode, Required]
    public string ModelId { get; set; } = "";

    public Uri BaseUrl { get; set; } = new("https://api.acme.test/v1");

    [PerMode]
    public int? ThinkingBudgetTokens { get; set; }

    [PerMode, SettingKey("reasoningEffort")]
    public Effort Effort { get; set; } = Effort.Medium;

    public bool UseResponsesApi { get; set; }

    public double Temperature { get; set; } = 0.5;

    public Dictionary<string, string>? Headers { get; set; }

    [PerMode]
    public ModelInfo? ModelInfo { get; set; }

    public JsonElement? Extra { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

[Provider("acme-cloud", DisplayName = "Acme Cloud")]
public sealed class AcmeCloudHandler(AcmeOptions options) : IApiHandler
{
    public AcmeOptions Options { get; } = options;

    public ApiHandlerModel GetModel() => new(Options.ModelId, Options.ModelInfo ?? new ModelInfo());

    public async IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new TextChunk(Options.ModelId);
    }
}
