using System.Text.Json;
using System.Text.Json.Serialization;
using Providers.OpenAi;

namespace Providers.SapAiCore;

/// <summary>
/// The body of the orchestration service's <c>POST /v2/completion</c>, as SAP's orchestration SDK (2.x, Cline's) writes
/// it for a stream: <c>config.stream.enabled</c>, one <c>prompt_templating</c> module with the model and the template,
/// and the conversation in <c>messages_history</c> (which, unlike template messages, is not searched for placeholders).
/// </summary>
internal sealed class OrchestrationRequest
{
    [JsonPropertyName("config")] public required OrchestrationConfig Config { get; init; }

    [JsonPropertyName("messages_history")] public required List<WireMessage> MessagesHistory { get; init; }
}

internal sealed class OrchestrationConfig
{
    [JsonPropertyName("stream")] public OrchestrationStreamConfig Stream { get; init; } = new();

    [JsonPropertyName("modules")] public required OrchestrationModules Modules { get; init; }
}

internal sealed class OrchestrationStreamConfig
{
    [JsonPropertyName("enabled")] public bool Enabled { get; init; } = true;
}

internal sealed class OrchestrationModules
{
    [JsonPropertyName("prompt_templating")] public required PromptTemplatingModule PromptTemplating { get; init; }
}

internal sealed class PromptTemplatingModule
{
    [JsonPropertyName("model")] public required OrchestrationModel Model { get; init; }

    [JsonPropertyName("prompt")] public required OrchestrationPrompt Prompt { get; init; }
}

internal sealed class OrchestrationModel
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The SDK asks for usage at the end of a stream (<c>stream_options.include_usage</c>).</summary>
    [JsonPropertyName("params")] public OrchestrationModelParams Params { get; init; } = new();
}

internal sealed class OrchestrationModelParams
{
    [JsonPropertyName("stream_options")] public StreamOptions StreamOptions { get; init; } = new();
}

internal sealed class OrchestrationPrompt
{
    [JsonPropertyName("template")] public required List<WireMessage> Template { get; init; }

    [JsonPropertyName("tools")] public List<WireTool>? Tools { get; init; }
}

/// <summary>
/// One event of the orchestration stream: <c>final_result</c> is a Chat Completions chunk (choices with deltas, usage at
/// the end); <c>intermediate_results</c> (the modules' own results) are not read. An error arrives as <c>error</c>, one
/// object <c>{request_id, code, message, location}</c> or a list of them.
/// </summary>
internal sealed class OrchestrationStreamEvent
{
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }

    [JsonPropertyName("final_result")] public ChatChunk? FinalResult { get; init; }

    [JsonPropertyName("error")] public JsonElement? Error { get; init; }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OrchestrationRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(OrchestrationStreamEvent))]
internal sealed partial class SapOrchestrationJsonContext : JsonSerializerContext;
